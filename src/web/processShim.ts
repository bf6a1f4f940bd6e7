// The web build only (esbuild `inject`): a web worker extension host has no `process`. Settings and
// SecretStorage are the only sources of keys there, so the environment is empty.
export const process = { env: {} as Record<string, string | undefined> };
