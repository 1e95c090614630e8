// The report page's escaping and assembly (cli/report_html.h).
#include "cli/report_html.h"

#include <gtest/gtest.h>

namespace strata::cli {
namespace {

TEST(ReportHtml, ScriptSafeJsonCannotEndTheScriptElement) {
  const nlohmann::json value = {{"name", "</script><img src=x onerror=alert(1)>"},
                                {"amp", "a & b"},
                                {"sep", "a\u2028b\u2029c"}};
  const std::string text = ScriptSafeJson(value);
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_EQ(text.find('>'), std::string::npos) << text;
  EXPECT_EQ(text.find('&'), std::string::npos) << text;
  EXPECT_EQ(text.find("\xE2\x80\xA8"), std::string::npos) << text;
  EXPECT_NE(text.find("\\u003c/script\\u003e"), std::string::npos) << text;
  EXPECT_NE(text.find("\\u2028"), std::string::npos) << text;
  // The same document when read back.
  EXPECT_EQ(nlohmann::json::parse(text), value);
}

TEST(ReportHtml, ScriptSafeJsonReplacesInvalidUtf8) {
  std::string bad = "a";
  bad += '\xFF';  // never valid in UTF-8
  bad += 'b';
  const std::string text = ScriptSafeJson(nlohmann::json{{"bad", bad}});
  EXPECT_EQ(nlohmann::json::parse(text)["bad"], "a\uFFFDb");
}

TEST(ReportHtml, HtmlEscapeEscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ReportHtml, ThePageEmbedsTheDataOnceAndLoadsNothing) {
  const std::string html = RenderReportPage({{"title", "</title><script>"}}, "a <b> report");
  EXPECT_NE(html.find("<title>a &lt;b&gt; report</title>"), std::string::npos);
  EXPECT_NE(html.find("id=\"report-data\">{\"title\":\"\\u003c/title\\u003e\\u003cscript\\u003e\"}"
                      "</script>"),
            std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http:"), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
  // The script itself never contains the text that would end its element early.
  EXPECT_EQ(std::string(ReportScript()).find("</script"), std::string::npos);
  EXPECT_EQ(std::string(ReportScript()).find("innerHTML"), std::string::npos);
}

}  // namespace
}  // namespace strata::cli
