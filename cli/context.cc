#include "cli/context.h"

#include <ostream>

namespace strata::cli {

std::string Context::Paint(Color c, const std::string& text) const {
  if (!color) return text;
  const char* code = "";
  switch (c) {
    case Color::kRed: code = "31"; break;
    case Color::kGreen: code = "32"; break;
    case Color::kYellow: code = "33"; break;
    case Color::kCyan: code = "36"; break;
    case Color::kBold: code = "1"; break;
    case Color::kDim: code = "2"; break;
  }
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void Context::PrintJson(const nlohmann::ordered_json& j) const { *out << j.dump(2) << "\n"; }

void Context::Note(const std::string& line) const { *err << line << "\n"; }

}  // namespace strata::cli
