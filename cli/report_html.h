// The report page: one HTML file holding its data, styles and script, with nothing loaded from
// anywhere else (it opens from disk). Everything taken from the log reaches the page as JSON
// inside <script type="application/json">, escaped so that no text can end that element, and
// the script puts it on screen as text nodes only, never as markup.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace strata::cli {

// `value` as JSON that is safe inside a <script> element: '<', '>', '&' and the line
// separators U+2028 and U+2029 written as \u escapes; invalid UTF-8 replaced by U+FFFD.
std::string ScriptSafeJson(const nlohmann::json& value);

// `text` with &, <, >, " and ' as character references, for HTML text and attribute values.
std::string HtmlEscape(const std::string& text);

// The whole page for `page` (cli/report_data.h), titled `title`.
std::string RenderReportPage(const nlohmann::json& page, const std::string& title);

// The page's style sheet and script (cli/report_assets.cc).
const char* ReportStyle();
const char* ReportScript();

}  // namespace strata::cli
