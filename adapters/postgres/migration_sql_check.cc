// A lexer that sees a migration as psql's scanner does (src/bin/psql/psqlscan.l, in outline):
// only enough of SQL to find where each top-level statement starts and ends, and its first
// words. It never fails: text it does not understand is skipped, and an unterminated string or
// comment runs to the end of the file, as it would for psql.
#include "adapters/postgres/migration_sql_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace strata::postgres {
namespace {

constexpr std::string_view kMarker = "-- strata:no-transaction";

bool IsWordStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsWordChar(char c) {
  return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A `--` comment that means the marker but does not spell it: lower-cased without white
// space, '-' and '_', it starts with "strata:notransaction" (or without the colon).
bool NearlyMarker(std::string_view comment) {
  std::string squeezed;
  for (char c : comment) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '-' || c == '_') continue;
    squeezed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return squeezed.starts_with("strata:notransaction") ||
         squeezed.starts_with("stratanotransaction");
}

// One top-level statement: its first two words, where it starts, and psql's BEGIN ... END
// depth for the body of CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC.
struct Statement {
  int line = 0;
  std::array<std::string, 4> words;  // the first four, lower-case
  size_t word_count = 0;
  int begin_depth = 0;
  bool copy_from_stdin = false;  // COPY ... FROM STDIN: data lines follow, up to "\."

  bool empty() const { return word_count == 0; }
  bool IsRoutine() const {
    const auto& w = words;
    const bool kind1 = w[1] == "function" || w[1] == "procedure";
    const bool kind3 = w[3] == "function" || w[3] == "procedure";
    return w[0] == "create" && (kind1 || (w[1] == "or" && w[2] == "replace" && kind3));
  }
};

enum class Control { kNone, kOpens, kCloses };

// What a statement does to the transaction, from its first words.
Control ControlOf(const Statement& s) {
  const std::string& first = s.words[0];
  const std::string& second = s.words[1];
  if (first == "begin") return Control::kOpens;
  if (first == "start" && second == "transaction") return Control::kOpens;
  if (first == "commit" || first == "end" || first == "abort") return Control::kCloses;
  if (first == "rollback" && second != "to") return Control::kCloses;  // not TO SAVEPOINT
  if (first == "prepare" && second == "transaction") return Control::kCloses;
  return Control::kNone;
}

// The statement's name when PostgreSQL refuses to run it inside a transaction block; empty
// otherwise.
std::string OutsideTransactionOnly(const Statement& s) {
  const auto& w = s.words;
  const bool index = w[1] == "index" && w[2] == "concurrently";
  const bool unique_index = w[1] == "unique" && w[2] == "index" && w[3] == "concurrently";
  if (w[0] == "create" && (index || unique_index)) return "CREATE INDEX CONCURRENTLY";
  if (w[0] == "drop" && w[1] == "index" && w[2] == "concurrently") return "DROP INDEX CONCURRENTLY";
  if (w[0] == "reindex" && w[2] == "concurrently") return "REINDEX CONCURRENTLY";
  if (w[0] == "vacuum") return "VACUUM";
  if (w[0] == "alter" && w[1] == "system") return "ALTER SYSTEM";
  if ((w[0] == "create" || w[0] == "drop") && (w[1] == "database" || w[1] == "tablespace")) {
    std::string out = w[0] + " " + w[1];
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  return "";
}

std::string Spelled(const Statement& s) {
  std::string out = s.words[0];
  if (s.words[0] == "start" || s.words[0] == "prepare") out += " " + s.words[1];
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

class Checker {
 public:
  Checker(std::string_view sql, bool no_transaction) : s_(sql), no_transaction_(no_transaction) {}

  std::vector<SqlProblem> Run() {
    while (i_ < s_.size()) Step();
    if (paren_depth_ > 0 || statement_.begin_depth > 0) {
      NeedsPsql(line_, "a parenthesis or BEGIN ATOMIC body still open at the end of the file");
    }
    EndStatement();
    if (no_transaction_ && open_block_line_) {
      Problem(*open_block_line_,
              "this transaction block is still open at the end of the file: psql rolls it back "
              "silently, so its statements would not stay applied; end it with COMMIT");
    }
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const SqlProblem& a, const SqlProblem& b) { return a.line < b.line; });
    return std::move(problems_);
  }

 private:
  char At(size_t k) const { return k < s_.size() ? s_[k] : '\0'; }

  // Advances to `end` (exclusive), counting lines.
  void SkipTo(size_t end) {
    end = std::min(end, s_.size());
    line_ += static_cast<int>(std::count(s_.begin() + i_, s_.begin() + end, '\n'));
    i_ = end;
  }

  void Step() {
    const char c = s_[i_];
    if (c == '\n') {
      ++line_;
      ++i_;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i_;
    } else if (c == '-' && At(i_ + 1) == '-') {
      LineComment();
    } else if (c == '/' && At(i_ + 1) == '*') {
      Code();
      BlockComment();
    } else if (c == '\'') {
      Code();
      QuotedString(/*backslash_escapes=*/false);
    } else if (c == '"') {
      Code();
      Quoted('"');
    } else if (c == '$' && StartsDollarQuote()) {
      Code();
      DollarQuote();
    } else if (c == '\\') {
      MetaCommand();
    } else if (IsWordStart(c)) {
      Word();
    } else if (c == ':' && At(i_ + 1) == ':') {
      Code();
      i_ += 2;  // a cast
    } else if (c == ':' && (IsWordStart(At(i_ + 1)) || At(i_ + 1) == '\'' || At(i_ + 1) == '"')) {
      Code();
      NeedsPsql(line_, "a psql variable");
      ++i_;
    } else {
      Code();
      if (c == '(') ++paren_depth_;
      if (c == ')' && paren_depth_ > 0) --paren_depth_;
      ++i_;
      if (c == ';' && paren_depth_ == 0 && statement_.begin_depth == 0) {
        const bool copy_data = statement_.copy_from_stdin;
        EndStatement();
        if (copy_data) SkipCopyData();
      }
    }
  }

  // Anything but white space and `--` comments ends the file's leading comments.
  void Code() {
    leading_ = false;
    if (statement_begin_ == std::string_view::npos) {
      statement_begin_ = i_;
      statement_line_ = line_;
    }
  }

  void NeedsPsql(int line, std::string reason) {
    if (split.psql_line != 0) return;
    split.psql_line = line;
    split.psql_reason = std::move(reason);
  }

  void LineComment() {
    const size_t end = std::min(s_.find('\n', i_), s_.size());
    const std::string_view text = s_.substr(i_, end - i_);
    CheckMarker(Trimmed(text));
    i_ = end;
  }

  void CheckMarker(std::string_view comment) {
    const bool whole_line = OnlySpaceBefore();
    if (comment == kMarker) {
      if (!(leading_ && whole_line)) {
        Problem(line_, fmt::format("the \"{}\" marker counts only among the comment lines that "
                                   "open the file, before any SQL; move it there",
                                   kMarker));
      }
      return;
    }
    if (NearlyMarker(comment.substr(2))) {
      Problem(line_, fmt::format("\"{}\" is not the no-transaction marker, so the file would "
                                 "run in a transaction; write the line exactly as \"{}\"",
                                 comment, kMarker));
    }
  }

  // Whether only white space precedes i_ on its line.
  bool OnlySpaceBefore() const {
    for (size_t k = i_; k > 0 && s_[k - 1] != '\n'; --k) {
      if (!std::isspace(static_cast<unsigned char>(s_[k - 1]))) return false;
    }
    return true;
  }

  void BlockComment() {  // nested, as in PostgreSQL
    int depth = 0;
    size_t k = i_;
    while (k < s_.size()) {
      if (s_[k] == '/' && At(k + 1) == '*') {
        ++depth;
        k += 2;
      } else if (s_[k] == '*' && At(k + 1) == '/') {
        k += 2;
        if (--depth == 0) break;
      } else {
        ++k;
      }
    }
    if (depth > 0) NeedsPsql(line_, "a comment that is never closed");
    SkipTo(k);
  }

  // '...' with '' inside; with backslash escapes too for E'...'.
  void QuotedString(bool backslash_escapes) {
    size_t k = i_ + 1;
    while (k < s_.size()) {
      if (backslash_escapes && s_[k] == '\\') {
        k += 2;
      } else if (s_[k] == '\'') {
        if (At(k + 1) != '\'') break;
        k += 2;
      } else {
        ++k;
      }
    }
    if (k >= s_.size()) NeedsPsql(line_, "a quoted string that is never closed");
    SkipTo(k + 1);
  }

  // "..." with "" inside.
  void Quoted(char quote) {
    size_t k = i_ + 1;
    while (k < s_.size()) {
      if (s_[k] == quote) {
        if (At(k + 1) != quote) break;
        k += 2;
      } else {
        ++k;
      }
    }
    if (k >= s_.size()) NeedsPsql(line_, "a quoted identifier that is never closed");
    SkipTo(k + 1);
    NoteWord("");  // a quoted identifier is a word, never a keyword
  }

  // The end of the $tag$ at i_ (just past its closing '$'); 0 for a `$1` parameter or a
  // lone '$'.
  size_t DollarTagEnd() const {
    size_t k = i_ + 1;
    if (k < s_.size() && IsWordStart(s_[k])) {
      while (k < s_.size() && IsWordChar(s_[k]) && s_[k] != '$') ++k;
    }
    return At(k) == '$' ? k + 1 : 0;
  }
  bool StartsDollarQuote() const { return DollarTagEnd() != 0; }

  // $tag$ ... $tag$, at a tag (StartsDollarQuote).
  void DollarQuote() {
    const size_t k = DollarTagEnd() - 1;
    const std::string_view tag = s_.substr(i_, k + 1 - i_);
    const size_t close = s_.find(tag, k + 1);
    if (close == std::string_view::npos) NeedsPsql(line_, "a dollar-quoted string that is never closed");
    SkipTo(close == std::string_view::npos ? s_.size() : close + tag.size());
  }

  // A psql meta-command (\echo, \set, \i ...) runs to the end of the line; \g and its
  // variants send the statement before it, like ';'.
  void MetaCommand() {
    Code();
    NeedsPsql(line_, "a psql meta-command");
    const size_t end = std::min(s_.find('\n', i_), s_.size());
    const std::string_view command = s_.substr(i_ + 1, end - i_ - 1);
    const size_t name_end = std::min(command.find_first_of(" \t\r"), command.size());
    if (command.substr(0, name_end).starts_with("g")) EndStatement();
    i_ = end;
  }

  void Word() {
    Code();
    size_t k = i_;
    while (k < s_.size() && IsWordChar(s_[k])) ++k;
    const std::string word = Lower(s_.substr(i_, k - i_));
    i_ = k;
    if ((word == "e" || word == "x" || word == "b") && At(i_) == '\'') {
      QuotedString(/*backslash_escapes=*/word == "e");
      return;
    }
    NoteWord(word);
  }

  void NoteWord(const std::string& word) {
    Statement& st = statement_;
    if (st.empty()) st.line = line_;
    if (st.word_count < st.words.size()) st.words[st.word_count] = word;
    ++st.word_count;
    if (st.words[0] == "copy" && word == "stdin") st.copy_from_stdin = true;
    if (st.words[0] == "copy" && (word == "stdin" || word == "stdout")) {
      NeedsPsql(st.line, "COPY from STDIN or to STDOUT");
    }
    // psql reads the rest of the file by the server's new setting; the split assumes it on.
    if (word == "standard_conforming_strings") {
      NeedsPsql(line_, "a change of standard_conforming_strings");
    }
    if (st.word_count <= 2 || !st.IsRoutine() || paren_depth_ > 0) return;
    // psql's heuristic for a routine's BEGIN ATOMIC body: ';' inside does not end it.
    if (word == "begin") ++st.begin_depth;
    if (word == "case" && st.begin_depth > 0) ++st.begin_depth;
    if (word == "end" && st.begin_depth > 0) --st.begin_depth;
  }

  // The rows of COPY ... FROM STDIN, from the next line to a line "\." (or the end): data,
  // not SQL, whatever they hold.
  void SkipCopyData() {
    size_t k = s_.find('\n', i_);
    while (k != std::string_view::npos) {
      const size_t start = k + 1;
      const size_t end = std::min(s_.find('\n', start), s_.size());
      if (Trimmed(s_.substr(start, end - start)) == "\\.") {
        SkipTo(end);
        return;
      }
      k = end < s_.size() ? end : std::string_view::npos;
    }
    SkipTo(s_.size());
  }

  void EndStatement() {
    if (statement_begin_ != std::string_view::npos) {
      split.statements.push_back({statement_begin_, i_, statement_line_});
      statement_begin_ = std::string_view::npos;
    }
    if (!statement_.empty()) Classify(statement_);
    statement_ = Statement();
    paren_depth_ = 0;
  }

  void Classify(const Statement& st) {
    if (!no_transaction_) RefuseOutsideTransactionOnly(st);
    const Control control = ControlOf(st);
    if (control == Control::kNone) return;
    if (no_transaction_) {
      if (control == Control::kOpens) open_block_line_ = st.line;
      if (control == Control::kCloses) open_block_line_.reset();
      return;
    }
    const std::string what =
        control == Control::kOpens
            ? fmt::format("{} inside a migration: strata already runs each migration in one "
                          "transaction, together with its history row",
                          Spelled(st))
            : fmt::format("{} inside a migration would end the one transaction strata runs it "
                          "in, so what follows could no longer be rolled back with it",
                          Spelled(st));
    Problem(st.line, fmt::format("{}; remove it, or, if the migration must manage its own "
                                 "transactions, make \"{}\" one of the comment lines that open "
                                 "the file",
                                 what, kMarker));
  }

  // Found before running, rather than as psql's error after the migrations before it ran.
  void RefuseOutsideTransactionOnly(const Statement& st) {
    const std::string what = OutsideTransactionOnly(st);
    if (what.empty()) return;
    Problem(st.line, fmt::format("{} inside a migration cannot run in the transaction strata "
                                 "runs it in (PostgreSQL refuses it in a transaction block); "
                                 "make \"{}\" one of the comment lines that open the file",
                                 what, kMarker));
  }

  void Problem(int line, std::string message) { problems_.push_back({line, std::move(message)}); }

  std::string_view s_;
  bool no_transaction_;
  size_t i_ = 0;
  int line_ = 1;
  bool leading_ = true;
  int paren_depth_ = 0;
  Statement statement_;
  std::optional<int> open_block_line_;
  std::vector<SqlProblem> problems_;
  size_t statement_begin_ = std::string_view::npos;
  int statement_line_ = 0;

 public:
  SqlSplit split;
};

}  // namespace

std::vector<SqlProblem> CheckMigrationSql(std::string_view sql, bool no_transaction) {
  return Checker(sql, no_transaction).Run();
}

SqlSplit SplitMigrationSql(std::string_view sql) {
  Checker checker(sql, /*no_transaction=*/true);
  checker.Run();
  return std::move(checker.split);
}

}  // namespace strata::postgres
