// The words table files accept, and what to say when a file uses others: the "did you mean"
// suggestion for an unknown key (a near miss by spelling, or a word people reach for, such as
// pk for partition_key), and "use a, b or c" for an unknown value. Shared by the YAML and the
// CreateTable JSON readers; not a public contract. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::dynamodb::internal {

using KeyList = std::vector<std::string_view>;

std::string Lower(std::string_view s);

// "a, b or c": how messages list the accepted values.
std::string JoinOr(const KeyList& words);

// Optimal string alignment distance (a swap of two neighbours counts as one edit), ignoring
// case, so that "sortkey", "Sort_Key" and "sotr_key" all land on "sort_key".
int EditDistance(std::string_view a, std::string_view b);

// The allowed key `word` most likely meant, or "" when none is close.
std::string NearestKey(std::string_view word, const KeyList& allowed);

// "unknown key "x" in CONTEXT; did you mean "y"?", or the allowed keys when none is close.
std::string UnknownKeyMessage(std::string_view key, std::string_view context,
                              const KeyList& allowed);

// "unknown stream view type "x"; use a, b or c".
std::string UnknownValueMessage(std::string_view what, std::string_view value,
                                const KeyList& accepted);

// The accepted words for an enum, in the order messages list them.
template <typename E>
struct EnumWord {
  std::string_view word;
  E value;
};

template <typename E, size_t N>
KeyList WordsOf(const EnumWord<E> (&words)[N]) {
  KeyList out;
  for (const auto& w : words) out.push_back(w.word);
  return out;
}

// Looks `word` up among `words`, ignoring case when `any_case`; false when absent.
template <typename E, size_t N>
bool LookUp(const EnumWord<E> (&words)[N], std::string_view word, bool any_case, E* out) {
  for (const auto& w : words) {
    if (w.word == word || (any_case && Lower(w.word) == Lower(word))) {
      *out = w.value;
      return true;
    }
  }
  return false;
}

}  // namespace strata::dynamodb::internal
