#include "adapters/common/yaml_documents.h"

#include <sstream>
#include <string>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

namespace strata::common {
namespace {

// Sees only where each document starts. yaml-cpp's document loop makes progress by consuming
// tokens; a document that starts where the previous one started consumed nothing, and every
// later one would do the same.
class ProgressCheck : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (started_ && mark.pos == last_start_.pos) stuck_ = true;
    started_ = true;
    last_start_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  bool stuck() const { return stuck_; }
  const YAML::Mark& where() const { return last_start_; }

 private:
  bool started_ = false;
  bool stuck_ = false;
  YAML::Mark last_start_ = YAML::Mark::null_mark();
};

}  // namespace

std::vector<YAML::Node> LoadYamlDocuments(std::string_view text) {
  const std::string copy(text);
  {
    std::istringstream in(copy);
    YAML::Parser parser(in);
    ProgressCheck check;
    while (parser.HandleNextDocument(check)) {
      if (!check.stuck()) continue;
      const YAML::Mark& at = check.where();
      const char c = at.pos >= 0 && static_cast<size_t>(at.pos) < copy.size() ? copy[at.pos] : 0;
      const std::string what = c > ' ' && c < 0x7f ? std::string("'") + c + "'" : "character";
      throw YAML::ParserException(
          at, "unexpected " + what +
                  " outside any [ ] or { }; check that the brackets before it pair up");
    }
  }
  return YAML::LoadAll(copy);
}

}  // namespace strata::common
