// LOCAL STUB (not committed): a small parser and renderer of CREATE EXTERNAL TABLE.
#include "adapters/glue/ddl.h"
#include <fmt/format.h>
#include <cctype>
#include <map>
#include "engine/state/canonical_glue_postgres.h"
namespace strata::glue {
namespace {
std::string Low(std::string s) { for (auto& c : s) c = std::tolower((unsigned char)c); return s; }
class P {
 public:
  P(std::string_view t, std::string_view f) : t_(t), f_(f) {}
  void Ws() {
    while (i_ < t_.size()) {
      if (std::isspace((unsigned char)t_[i_])) { ++i_; continue; }
      if (t_.substr(i_, 2) == "--") { while (i_ < t_.size() && t_[i_] != '\n') ++i_; continue; }
      break;
    }
  }
  bool Kw(std::string_view k) {
    Ws();
    if (i_ + k.size() > t_.size()) return false;
    for (size_t j = 0; j < k.size(); ++j) if (std::toupper((unsigned char)t_[i_ + j]) != k[j]) return false;
    if (i_ + k.size() < t_.size() && (std::isalnum((unsigned char)t_[i_ + k.size()]) || t_[i_ + k.size()] == '_')) return false;
    i_ += k.size();
    return true;
  }
  bool Ch(char c) { Ws(); if (i_ < t_.size() && t_[i_] == c) { ++i_; return true; } return false; }
  Status Err(const std::string& m) { return Status::InvalidArgument(fmt::format("{}: {}", f_, m)); }
  Result<std::string> Ident() {
    Ws();
    if (i_ < t_.size() && t_[i_] == '`') {
      size_t e = t_.find('`', i_ + 1);
      if (e == std::string::npos) return Err("unterminated `");
      std::string s(t_.substr(i_ + 1, e - i_ - 1)); i_ = e + 1; return s;
    }
    size_t s = i_;
    while (i_ < t_.size() && (std::isalnum((unsigned char)t_[i_]) || t_[i_] == '_')) ++i_;
    if (s == i_) return Err("expected a name");
    return std::string(t_.substr(s, i_ - s));
  }
  Result<std::string> Str() {
    Ws();
    if (i_ >= t_.size() || (t_[i_] != '\'' && t_[i_] != '"')) return Err("expected a string");
    char q = t_[i_++];
    std::string out;
    while (i_ < t_.size() && t_[i_] != q) {
      if (t_[i_] == '\\' && i_ + 1 < t_.size()) { out += t_[i_ + 1]; i_ += 2; continue; }
      out += t_[i_++];
    }
    if (i_ >= t_.size()) return Err("unterminated string");
    ++i_;
    return out;
  }
  Result<std::string> Type() {
    Ws();
    int depth = 0; std::string out;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (depth == 0 && (c == ',' || c == ')')) break;
      if (depth == 0 && std::isspace((unsigned char)c)) { size_t save = i_; if (Kw("COMMENT")) { i_ = save; break; } i_ = save; }
      if (c == '<' || c == '(') ++depth;
      if (c == '>' || c == ')') --depth;
      if (!std::isspace((unsigned char)c)) out += std::tolower((unsigned char)c);
      ++i_;
    }
    if (out.empty()) return Err("expected a type");
    return out;
  }
  Status Columns(google::protobuf::RepeatedPtrField<pb::GlueColumn>* out) {
    if (!Ch('(')) return Err("expected (");
    do {
      pb::GlueColumn c;
      STRATA_ASSIGN_OR_RETURN(std::string n, Ident()); c.set_name(Low(n));
      STRATA_ASSIGN_OR_RETURN(std::string ty, Type()); c.set_type(ty);
      if (Kw("COMMENT")) { STRATA_ASSIGN_OR_RETURN(std::string cm, Str()); c.set_comment(cm); }
      *out->Add() = c;
    } while (Ch(','));
    if (!Ch(')')) return Err("expected )");
    return Status::Ok();
  }
  Status Props(google::protobuf::Map<std::string, std::string>* out) {
    if (!Ch('(')) return Err("expected (");
    do {
      STRATA_ASSIGN_OR_RETURN(std::string k, Str());
      if (!Ch('=')) return Err("expected =");
      STRATA_ASSIGN_OR_RETURN(std::string v, Str());
      (*out)[k] = v;
    } while (Ch(','));
    if (!Ch(')')) return Err("expected )");
    return Status::Ok();
  }
  Result<ParsedTable> Parse() {
    ParsedTable p;
    pb::GlueTable& t = p.table;
    if (!Kw("CREATE") || !Kw("EXTERNAL") || !Kw("TABLE")) return Err("expected CREATE EXTERNAL TABLE");
    t.set_table_type("EXTERNAL_TABLE");
    if (Kw("IF")) { if (!Kw("NOT") || !Kw("EXISTS")) return Err("expected IF NOT EXISTS"); }
    STRATA_ASSIGN_OR_RETURN(std::string a, Ident());
    if (Ch('.')) { STRATA_ASSIGN_OR_RETURN(std::string b, Ident()); p.database = Low(a); t.set_name(Low(b)); }
    else if (a.find('.') != std::string::npos) { p.database = Low(a.substr(0, a.find('.'))); t.set_name(Low(a.substr(a.find('.') + 1))); }
    else t.set_name(Low(a));
    STRATA_RETURN_IF_ERROR(Columns(t.mutable_columns()));
    std::string stored;
    while (true) {
      if (Kw("COMMENT")) { STRATA_ASSIGN_OR_RETURN(std::string c, Str()); t.set_description(c); }
      else if (Kw("PARTITIONED")) { if (!Kw("BY")) return Err("expected BY"); STRATA_RETURN_IF_ERROR(Columns(t.mutable_partition_keys())); }
      else if (Kw("ROW")) {
        if (!Kw("FORMAT") || !Kw("SERDE")) return Err("expected ROW FORMAT SERDE");
        STRATA_ASSIGN_OR_RETURN(std::string s, Str()); t.mutable_serde()->set_serialization_library(s);
        if (Kw("WITH")) { if (!Kw("SERDEPROPERTIES")) return Err("expected SERDEPROPERTIES"); STRATA_RETURN_IF_ERROR(Props(t.mutable_serde()->mutable_parameters())); }
      } else if (Kw("STORED")) {
        if (!Kw("AS")) return Err("expected AS");
        if (Kw("INPUTFORMAT")) {
          STRATA_ASSIGN_OR_RETURN(std::string in, Str()); t.set_input_format(in);
          if (!Kw("OUTPUTFORMAT")) return Err("expected OUTPUTFORMAT");
          STRATA_ASSIGN_OR_RETURN(std::string out, Str()); t.set_output_format(out);
        } else if (Kw("PARQUET")) {
          t.set_input_format("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
          t.set_output_format("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
          if (t.serde().serialization_library().empty()) t.mutable_serde()->set_serialization_library("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        } else if (Kw("TEXTFILE")) {
          t.set_input_format("org.apache.hadoop.mapred.TextInputFormat");
          t.set_output_format("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
          if (t.serde().serialization_library().empty()) t.mutable_serde()->set_serialization_library("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
        } else return Err("unknown STORED AS");
      } else if (Kw("LOCATION")) { STRATA_ASSIGN_OR_RETURN(std::string l, Str()); t.set_location(l); }
      else if (Kw("TBLPROPERTIES")) STRATA_RETURN_IF_ERROR(Props(t.mutable_parameters()));
      else break;
    }
    Ch(';');
    Ws();
    if (i_ != t_.size()) return Err("unexpected text at offset " + std::to_string(i_));
    CanonicalizeGlueTable(&t);
    return p;
  }
 private:
  std::string_view t_, f_;
  size_t i_ = 0;
};
std::string Q(const std::string& s) {
  std::string o = "'";
  for (char c : s) { if (c == '\'' || c == '\\') o += '\\'; o += c; }
  return o + "'";
}
std::string Cols(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& cs) {
  std::string o;
  for (int i = 0; i < cs.size(); ++i) {
    o += fmt::format("  `{}` {}", cs[i].name(), cs[i].type());
    if (!cs[i].comment().empty()) o += " COMMENT " + Q(cs[i].comment());
    o += i + 1 < cs.size() ? ",\n" : ")";
  }
  return o;
}
std::string Props(const google::protobuf::Map<std::string, std::string>& m) {
  std::map<std::string, std::string> s(m.begin(), m.end());
  std::string o; size_t i = 0;
  for (const auto& [k, v] : s) o += fmt::format("  {}={}{}", Q(k), Q(v), ++i < s.size() ? ",\n" : ")");
  return o;
}
}  // namespace
Result<ParsedTable> ParseCreateTable(std::string_view text, std::string_view file) { return P(text, file).Parse(); }
std::string RenderCreateTable(const std::string& database, const pb::GlueTable& t) {
  std::string o = fmt::format("CREATE EXTERNAL TABLE `{}`.`{}`(\n{}\n", database, t.name(), Cols(t.columns()));
  if (!t.description().empty()) o += "COMMENT " + Q(t.description()) + "\n";
  if (t.partition_keys_size() > 0) o += "PARTITIONED BY (\n" + Cols(t.partition_keys()) + "\n";
  if (!t.serde().serialization_library().empty()) {
    o += "ROW FORMAT SERDE\n  " + Q(t.serde().serialization_library()) + "\n";
    if (!t.serde().parameters().empty()) o += "WITH SERDEPROPERTIES (\n" + Props(t.serde().parameters()) + "\n";
  }
  if (!t.input_format().empty()) o += "STORED AS INPUTFORMAT\n  " + Q(t.input_format()) + "\nOUTPUTFORMAT\n  " + Q(t.output_format()) + "\n";
  if (!t.location().empty()) o += "LOCATION\n  " + Q(t.location()) + "\n";
  if (!t.parameters().empty()) o += "TBLPROPERTIES (\n" + Props(t.parameters()) + "\n";
  o.pop_back();
  return o + ";\n";
}
}  // namespace strata::glue
