// The man page strata(1) (`strata man`), rendered from the command table and each command's
// flag parser (cli/help.h).
#include <fmt/format.h>

#include "cli/help.h"
#include "cli/help_flags.h"

namespace strata::cli {
namespace {

// Text for man(7): backslashes, hyphens and a leading dot or quote escaped.
std::string Roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char ch : text) {
    if (line_start && (ch == '.' || ch == '\'')) out += "\\&";
    if (ch == '\\')
      out += "\\e";
    else if (ch == '-')
      out += "\\-";
    else
      out += ch;
    line_start = ch == '\n';
  }
  return out;
}

}  // namespace

std::string ManPage(const std::string& version, const std::string& date) {
  std::string s =
      fmt::format(".TH STRATA 1 {} \"strata {}\" \"User Commands\"\n", date, Roff(version));
  s += ".SH NAME\nstrata \\- schema as code for DynamoDB, Glue/Athena and PostgreSQL, with every "
       "change kept in a hash\\-chained log\n";
  s += ".SH SYNOPSIS\n.B strata\n[\\fB\\-\\-project\\fR \\fIDIR\\fR] [\\fB\\-\\-json\\fR] "
       "[\\fB\\-\\-no\\-color\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n";
  s += ".SH DESCRIPTION\n"
       "strata keeps the schema of DynamoDB tables, Glue/Athena tables and PostgreSQL databases "
       "as files, and records every schema change as a typed event in an append\\-only, "
       "hash\\-chained log. Replaying the log rebuilds the schema as of any point in history; "
       "plans and deployments compare that history with live targets.\n"
       ".PP\nThe project is the nearest directory upwards that holds \\fIstrata.yaml\\fR "
       "(\\fBstrata init\\fR writes one).\n";
  s += ".SH GLOBAL OPTIONS\n";
  for (const help::GlobalFlag& g : help::GlobalFlags()) {
    s += fmt::format(".TP\n\\fB{}\\fR{}\n{}\n", Roff(g.name),
                     *g.value ? std::string(" \\fI") + g.value + "\\fR" : "", Roff(g.help));
  }
  s += ".SH COMMANDS\n";
  for (const CommandHelp& c : CommandHelps()) {
    s += fmt::format(".SS \"strata {}\"\n{}\n.PP\n.nf\n{}\n.fi\n", c.name, Roff(c.summary),
                     Roff(c.synopsis));
    if (!c.notes.empty()) s += ".PP\n" + Roff(c.notes);
    for (const help::Flag& f : help::ParseFlags(c).flags) {
      std::string title = "\\fB\\-\\-" + Roff(f.long_name) + "\\fR";
      if (!f.short_name.empty()) title = "\\fB\\-" + Roff(f.short_name) + "\\fR, " + title;
      if (f.optional_value)
        title += "[=\\fI" + Roff(help::Placeholder(f)) + "\\fR]";
      else if (f.takes_value)
        title += " \\fI" + Roff(help::Placeholder(f)) + "\\fR";
      s += ".TP\n" + title + "\n" + Roff(help::FlagHelp(f)) + "\n";
    }
  }
  s += ".SH REFS\n"
       "Every history command takes a point in history as a seq (\\fB42\\fR), \\fBHEAD\\fR, "
       "\\fBHEAD~3\\fR, a tag, a hash prefix, or a time (\\fB@2026\\-03\\-01\\fR, "
       "\\fB@2026\\-03\\-01T12:00:00Z\\fR).\n";
  s += ".SH EXIT STATUS\n"
       ".TP\n0\nsuccess\n.TP\n1\nan error\n.TP\n2\na usage error\n.TP\n3\nchanges present "
       "(with \\fB\\-\\-detailed\\-exitcode\\fR)\n";
  s += ".SH ENVIRONMENT\n"
       ".TP\n\\fBNO_COLOR\\fR\nno colours\n"
       ".TP\n\\fBSTRATA_ACTOR_NAME\\fR, \\fBSTRATA_ACTOR_EMAIL\\fR, \\fBSTRATA_ACTOR_HOST\\fR\n"
       "who commits are recorded as (otherwise GIT_AUTHOR_NAME, USER, the host name)\n"
       ".TP\n\\fBAWS_PROFILE\\fR, \\fBAWS_REGION\\fR, \\fBAWS_ENDPOINT_URL\\fR, ...\n"
       "the standard AWS settings, for targets that do not name them\n"
       ".TP\n\\fBPGHOST\\fR, \\fBPGPORT\\fR, \\fBPGUSER\\fR, \\fBPGDATABASE\\fR, ...\n"
       "the standard libpq settings, for PostgreSQL targets that do not name them\n";
  s += ".SH SEE ALSO\nThe project's documentation: docs/cli.md, docs/log\\-format.md\n";
  return s;
}

}  // namespace strata::cli
