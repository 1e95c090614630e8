#include "engine/state/object_filter.h"

#include <algorithm>
#include <cctype>

#include "engine/state/objects.h"

namespace strata {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string Lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

}  // namespace

// Greedy matching with backtracking to the last `*` only: a later star can always absorb what
// an earlier one would have, so linear time in practice and never exponential.
bool GlobMatch(std::string_view pattern, std::string_view name) {
  size_t p = 0, n = 0;
  size_t star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<ObjectFilter> ObjectFilter::Make(const std::vector<std::string>& patterns) {
  ObjectFilter f;
  for (const std::string& p : patterns) {
    if (p.empty()) {
      return Status::InvalidArgument(
          "an empty filter pattern matches nothing; write a name, or * for everything");
    }
    if (std::find(f.patterns_.begin(), f.patterns_.end(), p) == f.patterns_.end()) {
      f.patterns_.push_back(p);
    }
  }
  return f;
}

bool ObjectFilter::Matches(std::string_view name) const {
  if (patterns_.empty()) return true;
  return std::any_of(patterns_.begin(), patterns_.end(),
                     [name](const std::string& p) { return GlobMatch(p, name); });
}

ObjectFilter::Selection ObjectFilter::Select(const std::vector<std::string>& names,
                                            pb::Engine engine) const {
  // A DynamoDB table lives in nothing: a dot in its name ("app.orders") is just a character.
  const bool nested = engine != pb::ENGINE_DYNAMODB;
  Selection s;
  std::vector<bool> used(patterns_.size(), false);
  for (const std::string& name : names) {
    bool matched = patterns_.empty();
    for (size_t i = 0; i < patterns_.size(); ++i) {
      if (GlobMatch(patterns_[i], name)) used[i] = matched = true;
    }
    if (!matched) continue;
    if (!nested) {
      s.objects.insert(name);
      continue;
    }
    for (std::string& o : ObjectAndParents(name)) s.objects.insert(std::move(o));
  }
  for (size_t i = 0; i < patterns_.size(); ++i) {
    if (!used[i]) s.unmatched.push_back(patterns_[i]);
  }
  return s;
}

std::vector<std::string> MatchesIgnoringCase(std::string_view pattern,
                                             const std::vector<std::string>& names) {
  const std::string lower = Lowered(pattern);
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (GlobMatch(lower, Lowered(name))) out.push_back(name);
  }
  return out;
}

}  // namespace strata
