// How lines are found: nlohmann's lexer reads the text through ReadingIterator, which publishes
// how far it has read; as each value completes, JsonLineRecorder counts the newlines up to
// there (continuing from where it last stopped), so the text is scanned once.
#include "adapters/dynamodb/json_document.h"

#include <fmt/format.h>

#include <cstdlib>
#include <iterator>
#include <utility>
#include <vector>

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using Pointer = JsonDocument::Pointer;

// InvalidArgument "FILE:LINE: message", as every table file error reads.
Status ErrorAt(std::string_view file, int line, std::string_view message) {
  return Status::InvalidArgument(fmt::format("{}:{}: {}", file, line, message));
}

}  // namespace

// Builds a JsonDocument from nlohmann's SAX events, noting the line of every value. The line
// is that of the last character the lexer has read: the token just completed (a number's
// one-character lookahead is never counted, so a number at the end of a line stays there).
constexpr size_t kMaxJsonDepth = 64;

class JsonLineRecorder : public nlohmann::json_sax<json> {
 public:
  JsonLineRecorder(JsonDocument* doc, const char* begin, const char* const* read_end)
      : doc_(doc), counted_(begin), read_end_(read_end) {}

  Status status;  // the first error; Ok while parsing succeeds

  bool null() override { return Scalar(nullptr); }
  bool boolean(bool v) override { return Scalar(v); }
  bool number_integer(number_integer_t v) override { return Scalar(v); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(v); }
  bool number_float(number_float_t v, const string_t&) override { return Scalar(v); }
  bool string(string_t& v) override { return Scalar(std::move(v)); }
  bool binary(binary_t& v) override { return Scalar(json::binary(std::move(v))); }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    Frame& top = stack_.back();
    std::string pointer = top.pointer + "/" + Escape(k);
    if (top.value->contains(k)) {
      status = ErrorAt(doc_->file_name(), Line(),
                       fmt::format("duplicate key \"{}\" (first at line {})", k,
                                   doc_->lines_[pointer]));
      return false;
    }
    doc_->lines_[pointer] = Line();
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& e) override {
    // e.what(): "[json.exception.parse_error.101] parse error at line 3, column 2: syntax ..."
    std::string what = e.what();
    size_t column = what.find(", column ");
    size_t colon = column == std::string::npos ? column : what.find(": ", column);
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    status = ErrorAt(doc_->file_name(), ErrorLine(what), "invalid JSON: " + reason);
    return false;
  }

 private:
  struct Frame {
    json* value;
    std::string pointer;
  };

  static std::string Escape(std::string_view key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  // The line nlohmann reports in its message (it counts lines itself).
  int ErrorLine(const std::string& what) {
    size_t at = what.find("at line ");
    if (at == std::string::npos) return Line();
    return std::atoi(what.c_str() + at + 8);
  }

  int Line() {
    const char* end = *read_end_ - 1;  // exclude the last character read (lookahead)
    for (; counted_ < end; ++counted_) line_ += *counted_ == '\n';
    return line_;
  }

  // Puts `v` where the parser is (root, array element or the member named by key_).
  json* Place(json v) {
    if (stack_.empty()) {
      doc_->root_ = std::move(v);
      doc_->lines_[""] = Line();
      return &doc_->root_;
    }
    Frame& top = stack_.back();
    if (top.value->is_array()) {
      doc_->lines_[top.pointer + "/" + std::to_string(top.value->size())] = Line();
      top.value->push_back(std::move(v));
      return &top.value->back();
    }
    json& slot = (*top.value)[key_];
    slot = std::move(v);
    return &slot;
  }

  std::string PointerOfLast() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.value->is_array()) return top.pointer + "/" + std::to_string(top.value->size() - 1);
    return top.pointer + "/" + Escape(key_);
  }

  bool Scalar(json v) {
    Place(std::move(v));
    return true;
  }
  bool Open(json container) {
    // Every pointer names its whole path, so the pointers of deep nesting add up to the square
    // of the depth (a 5 KB run of '[' noted 25 MB of them); no document strata reads is deep.
    if (stack_.size() >= kMaxJsonDepth) {
      status = ErrorAt(doc_->file_name(), Line(),
                       fmt::format("invalid JSON: nested deeper than {} levels", kMaxJsonDepth));
      return false;
    }
    json* placed = Place(std::move(container));
    stack_.push_back({placed, PointerOfLast()});
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }

  JsonDocument* doc_;
  const char* counted_;
  const char* const* read_end_;
  int line_ = 1;
  std::vector<Frame> stack_;
  std::string key_;
};

namespace {

// An iterator over the text that publishes how far nlohmann's lexer has read.
struct ReadingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* at;
  const char** read_end;

  reference operator*() const { return *at; }
  ReadingIterator& operator++() {
    *read_end = ++at;
    return *this;
  }
  ReadingIterator operator++(int) {
    ReadingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const ReadingIterator& other) const { return at == other.at; }
  bool operator!=(const ReadingIterator& other) const { return at != other.at; }
};

}  // namespace

Result<JsonDocument> JsonDocument::Parse(std::string_view text, std::string file_name) {
  JsonDocument doc;
  doc.file_name_ = std::move(file_name);
  const char* read_end = text.data();
  JsonLineRecorder recorder(&doc, text.data(), &read_end);
  try {
    bool ok = json::sax_parse(ReadingIterator{text.data(), &read_end},
                              ReadingIterator{text.data() + text.size(), &read_end}, &recorder);
    if (!ok) {
      if (!recorder.status.ok()) return recorder.status;
      return dynamodb::ErrorAt(doc.file_name_, 1, "invalid JSON");
    }
  } catch (const json::exception& e) {
    return dynamodb::ErrorAt(doc.file_name_, 1, fmt::format("invalid JSON: {}", e.what()));
  }
  return doc;
}

int JsonDocument::LineOf(const Pointer& pointer) const {
  for (Pointer p = pointer;; p = p.parent_pointer()) {
    auto it = lines_.find(p.to_string());
    if (it != lines_.end()) return it->second;
    if (p.empty()) return 1;
  }
}

Status JsonDocument::ErrorAt(const Pointer& pointer, std::string_view message) const {
  return dynamodb::ErrorAt(file_name_, LineOf(pointer), message);
}

}  // namespace strata::dynamodb
