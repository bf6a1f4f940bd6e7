// Mocha's spec reporter plus one closing line "N passed, N failed", also written as JSON to
// $QWEN_INLINE_SUMMARY when set (test/run.ts adds up the stages from those files).
const fs = require('fs');
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
      const summaryFile = process.env.QWEN_INLINE_SUMMARY;
      if (summaryFile) fs.writeFileSync(summaryFile, JSON.stringify({ passed: passes, failed: failures }));
    });
  }
}

module.exports = SpecWithSummary;
