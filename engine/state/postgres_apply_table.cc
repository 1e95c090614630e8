// Apply for the parts of a PostgreSQL table: columns (appended at the end, as PostgreSQL
// does), constraints, indexes (also on materialized views) and triggers (kept sorted by name).
#include <fmt/format.h>

#include "engine/state/postgres_apply_internal.h"

namespace strata::pg_apply {
namespace {

template <typename Event>
std::string TableKey(const Event& e) {
  return PgKey(e.schema(), e.table());
}

Status AlreadyExists(std::string_view what, const std::string& owner, const std::string& name) {
  return Status::AlreadyExists(fmt::format("postgres {} {}.{} already exists", what, owner, name));
}

Status AddColumn(const pb::PgAddColumn& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * table, FindTable(s, e.schema(), e.table()));
  if (IndexByName(table->columns(), e.column().name()) >= 0) {
    return AlreadyExists("column", TableKey(e), e.column().name());
  }
  *table->add_columns() = e.column();
  return Status::Ok();
}

Status DropColumn(const pb::PgDropColumn& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * table, FindTable(s, e.schema(), e.table()));
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(table->columns(), "column", TableKey(e), e.column()));
  table->mutable_columns()->DeleteSubrange(i, 1);
  return Status::Ok();
}

// The column setters: each changes one attribute of an existing column.
template <typename Event, typename Set>
Status SetColumn(const Event& e, pb::PostgresSchema* s, Set set) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * table, FindTable(s, e.schema(), e.table()));
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(table->columns(), "column", TableKey(e), e.column()));
  set(table->mutable_columns(i));
  return Status::Ok();
}

// Adds `item` to the name-sorted list `items` of the object `owner`.
template <typename Repeated, typename Item>
Status AddPart(Repeated* items, const Item& item, std::string_view what, const std::string& owner) {
  if (IndexByName(*items, item.name()) >= 0) return AlreadyExists(what, owner, item.name());
  InsertSorted(items, item);
  return Status::Ok();
}

template <typename Repeated>
Status DropPart(Repeated* items, std::string_view what, const std::string& owner,
                const std::string& name) {
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(*items, what, owner, name));
  items->DeleteSubrange(i, 1);
  return Status::Ok();
}

Status ApplyColumnChange(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kAddColumn: return AddColumn(c.add_column(), s);
    case C::kDropColumn: return DropColumn(c.drop_column(), s);
    case C::kAlterColumnType: {
      const auto& e = c.alter_column_type();
      return SetColumn(e, s, [&e](pb::PgColumn* col) {
        col->set_type(e.type());
        col->set_collation(e.collation());
      });
    }
    case C::kSetColumnNotNull: {
      const auto& e = c.set_column_not_null();
      return SetColumn(e, s, [&e](pb::PgColumn* col) { col->set_not_null(e.not_null()); });
    }
    case C::kSetColumnDefault: {
      const auto& e = c.set_column_default();
      return SetColumn(e, s, [&e](pb::PgColumn* col) {
        if (e.has_default_expr()) col->set_default_expr(e.default_expr());
        else col->clear_default_expr();
      });
    }
    case C::kSetColumnIdentity: {
      const auto& e = c.set_column_identity();
      return SetColumn(e, s, [&e](pb::PgColumn* col) { col->set_identity(e.identity()); });
    }
    case C::kSetColumnGenerated: {
      const auto& e = c.set_column_generated();
      return SetColumn(e, s, [&e](pb::PgColumn* col) {
        if (e.has_generated_expr()) col->set_generated_expr(e.generated_expr());
        else col->clear_generated_expr();
      });
    }
    default: break;
  }
  return Status::Internal("postgres change: no handler for " + c.ShortDebugString());
}

// The table the column change `c` is about, and `c` made about table `table` instead.
std::string ColumnChangeTable(const pb::PostgresChange& c) {
  const auto* m = &c;
  const auto* field = m->GetReflection()->GetOneofFieldDescriptor(
      *m, pb::PostgresChange::descriptor()->FindOneofByName("kind"));
  if (field == nullptr) return "";
  const auto& event = m->GetReflection()->GetMessage(*m, field);
  const auto* d = event.GetDescriptor();
  const auto* schema = d->FindFieldByName("schema");
  const auto* table = d->FindFieldByName("table");
  if (schema == nullptr || table == nullptr) return "";
  return PgKey(event.GetReflection()->GetString(event, schema),
               event.GetReflection()->GetString(event, table));
}

pb::PostgresChange OnTable(const pb::PostgresChange& c, const pb::PgTable& t) {
  pb::PostgresChange copy = c;
  // A column a parent adds arrives without the parent's comment on it.
  if (copy.has_add_column()) copy.mutable_add_column()->mutable_column()->clear_comment();
  auto* field = copy.GetReflection()->GetOneofFieldDescriptor(
      copy, pb::PostgresChange::descriptor()->FindOneofByName("kind"));
  auto* event = copy.GetReflection()->MutableMessage(&copy, field);
  const auto* d = event->GetDescriptor();
  event->GetReflection()->SetString(event, d->FindFieldByName("schema"), t.schema());
  event->GetReflection()->SetString(event, d->FindFieldByName("table"), t.name());
  return copy;
}

// Whether a child table takes `c` as PostgreSQL recursion would: a new column it lacks, or
// a change to a column it has (a child may have dropped or merged it on its own).
bool ChildTakes(const pb::PostgresChange& c, const pb::PgTable& child) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kAddColumn: return IndexByName(child.columns(), c.add_column().column().name()) < 0;
    case C::kDropColumn: return IndexByName(child.columns(), c.drop_column().column()) >= 0;
    case C::kAlterColumnType:
      return IndexByName(child.columns(), c.alter_column_type().column()) >= 0;
    case C::kSetColumnNotNull:
      return IndexByName(child.columns(), c.set_column_not_null().column()) >= 0;
    case C::kSetColumnDefault:
      return IndexByName(child.columns(), c.set_column_default().column()) >= 0;
    default: return false;  // identity and generation expressions do not recurse here
  }
}

// A column change, and the same change in every partition and inheriting table that takes
// it, depth first: ALTER TABLE without ONLY recurses, and partitions must match their parent.
Status ApplyInherited(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  STRATA_RETURN_IF_ERROR(ApplyColumnChange(c, s));
  for (pb::PgTable* child : ColumnHeirs(s, ColumnChangeTable(c))) {
    if (!ChildTakes(c, *child)) continue;
    STRATA_RETURN_IF_ERROR(ApplyInherited(OnTable(c, *child), s));
  }
  return Status::Ok();
}

}  // namespace

Result<Indexes*> FindIndexOwner(pb::PostgresSchema* s, const std::string& schema,
                                const std::string& owner) {
  const std::string key = PgKey(schema, owner);
  auto table = s->mutable_tables()->find(key);
  if (table != s->mutable_tables()->end()) return table->second.mutable_indexes();
  auto view = s->mutable_views()->find(key);
  if (view == s->mutable_views()->end()) {
    return Status::NotFound(
        fmt::format("postgres table or materialized view {} does not exist", key));
  }
  if (!view->second.materialized()) {
    return Status::InvalidArgument(
        fmt::format("postgres view {} is not materialized: it cannot have indexes", key));
  }
  return view->second.mutable_indexes();
}

Status ApplyTablePart(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kAddConstraint: {
      const auto& e = c.add_constraint();
      STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
      return AddPart(t->mutable_constraints(), e.constraint(), "constraint", TableKey(e));
    }
    case C::kDropConstraint: {
      const auto& e = c.drop_constraint();
      STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
      return DropPart(t->mutable_constraints(), "constraint", TableKey(e), e.constraint());
    }
    case C::kCreateIndex: {
      const auto& e = c.create_index();
      STRATA_ASSIGN_OR_RETURN(Indexes * indexes, FindIndexOwner(s, e.schema(), e.table()));
      return AddPart(indexes, e.index(), "index", TableKey(e));
    }
    case C::kDropIndex: {
      const auto& e = c.drop_index();
      STRATA_ASSIGN_OR_RETURN(Indexes * indexes, FindIndexOwner(s, e.schema(), e.table()));
      return DropPart(indexes, "index", TableKey(e), e.index());
    }
    case C::kCreateTrigger: {
      const auto& e = c.create_trigger();
      STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
      return AddPart(t->mutable_triggers(), e.trigger(), "trigger", TableKey(e));
    }
    case C::kDropTrigger: {
      const auto& e = c.drop_trigger();
      STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
      return DropPart(t->mutable_triggers(), "trigger", TableKey(e), e.trigger());
    }
    default: return ApplyInherited(c, s);
  }
}

}  // namespace strata::pg_apply
