// Suggestions for words a table file got wrong. A key is "close" when its edit distance is at
// most a third of the shorter word (at least 1), so short keys do not match everything.
#include "adapters/dynamodb/suggest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace strata::dynamodb::internal {
namespace {

// Words people reach for that are far, by spelling, from the key they mean.
struct Alias {
  std::string_view from;
  std::string_view to;
};
constexpr Alias kAliases[] = {
    {"hash_key", "partition_key"}, {"range_key", "sort_key"}, {"pk", "partition_key"},
    {"sk", "sort_key"}, {"gsi", "global_indexes"}, {"gsis", "global_indexes"},
    {"lsi", "local_indexes"}, {"lsis", "local_indexes"}, {"time_to_live", "ttl"},
    {"billing_mode", "billing"}, {"throughput", "capacity"}, {"name", "table"},
    {"table_name", "table"}, {"tablename", "table"}, {"keyschema", "partition_key"},
    {"provisioned_throughput", "capacity"}, {"provisionedthroughput", "capacity"},
    {"billingmode", "billing"}, {"globalsecondaryindexes", "global_indexes"},
    {"localsecondaryindexes", "local_indexes"}, {"timetolivespecification", "ttl"},
    {"streamspecification", "stream"}, {"deletionprotectionenabled", "deletion_protection"},
    {"read_capacity", "read"}, {"write_capacity", "write"}, {"attributes", "include"},
};

}  // namespace

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string JoinOr(const KeyList& words) {
  if (words.size() == 1) return std::string(words[0]);
  std::string out;
  for (size_t i = 0; i + 1 < words.size(); ++i) out += fmt::format("{}{}", i ? ", " : "", words[i]);
  return out + " or " + std::string(words.back());
}

int EditDistance(std::string_view a_in, std::string_view b_in) {
  const std::string a = Lower(a_in), b = Lower(b_in);
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string NearestKey(std::string_view word, const KeyList& allowed) {
  const std::string lower = Lower(word);
  for (const auto& alias : kAliases) {
    if (alias.from != lower) continue;
    if (std::find(allowed.begin(), allowed.end(), alias.to) != allowed.end()) {
      return std::string(alias.to);
    }
  }
  std::string best;
  int best_distance = 1 << 20;
  for (std::string_view candidate : allowed) {
    int limit = std::max<int>(1, static_cast<int>(std::min(word.size(), candidate.size())) / 3);
    int distance = EditDistance(word, candidate);
    if (distance <= limit && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string UnknownKeyMessage(std::string_view key, std::string_view context,
                              const KeyList& allowed) {
  std::string near = NearestKey(key, allowed);
  if (!near.empty()) {
    return fmt::format("unknown key \"{}\" in {}; did you mean \"{}\"?", key, context, near);
  }
  return fmt::format("unknown key \"{}\" in {}; expected one of: {}", key, context,
                     fmt::join(allowed, ", "));
}

std::string UnknownValueMessage(std::string_view what, std::string_view value,
                                const KeyList& accepted) {
  return fmt::format("unknown {} \"{}\"; use {}", what, value, JoinOr(accepted));
}

}  // namespace strata::dynamodb::internal
