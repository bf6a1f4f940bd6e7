// Package wordfreq counts words in text: a small, typical piece of Go.
package wordfreq

import (
	"sort"
	"strings"
	"unicode"
)

// Entry is one word and how often it occurs.
type Entry struct {
	Word  string
	Count int
}

// Words splits text into lower-case words, dropping punctuation and digits.
func Words(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	words := make([]string, 0, len(fields))
	for _, field := range fields {
		word := strings.Trim(strings.ToLower(field), "'")
		if word != "" {
			words = append(words, word)
		}
	}
	return words
}

// Count returns how often each word occurs in text.
func Count(text string) map[string]int {
	counts := make(map[string]int)
	for _, word := range Words(text) {
		counts[word]++
	}
	return counts
}

// Top returns the n most frequent words, the most frequent first; ties go alphabetically.
func Top(counts map[string]int, n int) []Entry {
	entries := make([]Entry, 0, len(counts))
	for word, count := range counts {
		entries = append(entries, Entry{Word: word, Count: count})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Count != entries[j].Count {
			return entries[i].Count > entries[j].Count
		}
		return entries[i].Word < entries[j].Word
	})
	if n < len(entries) {
		entries = entries[:n]
	}
	return entries
}

// Describe renders entries as a bar chart, one "word: ***" line per entry.
func Describe(entries []Entry) string {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.Word)
		b.WriteString(": ")
		b.WriteString(strings.Repeat("*", e.Count))
		b.WriteByte('\n')
	}
	return b.String()
}
