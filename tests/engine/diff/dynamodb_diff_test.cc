#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "tests/engine/testing/random_dynamo.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

pb::SchemaState Wrap(const pb::DynamoSchema& s) {
  pb::SchemaState state;
  state.set_engine(pb::ENGINE_DYNAMODB);
  *state.mutable_dynamodb() = s;
  return state;
}

// Applies Diff(a, b) to a; returns the result (or fails the test).
pb::SchemaState ApplyDiff(const pb::SchemaState& a, const pb::SchemaState& b,
                          std::vector<pb::Event>* events) {
  auto diff = Diff(a, b);
  EXPECT_TRUE(diff.ok());
  *events = *diff;
  pb::SchemaState out = a;
  for (const auto& e : *events) {
    Status s = Apply(e, &out);
    EXPECT_TRUE(s.ok()) << s.ToString() << "\nevent: " << e.ShortDebugString();
  }
  return out;
}

TEST(DynamoDiffLaw, ApplyOfDiffGivesTheTargetForRandomPairs) {
  constexpr int kPairs = 5000;
  int non_empty = 0;
  for (int seed = 0; seed < kPairs; ++seed) {
    testing::RandomDynamo rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    pb::SchemaState b = Wrap(rnd.Mutated(a.dynamodb()));
    std::vector<pb::Event> events;
    pb::SchemaState got = ApplyDiff(a, b, &events);
    std::string report;
    MessageDifferencer d;
    d.ReportDifferencesToString(&report);
    ASSERT_TRUE(d.Compare(b, got)) << "seed " << seed << "\n" << report;
    non_empty += !events.empty();
    auto same = Diff(a, a);
    ASSERT_TRUE(same.ok());
    ASSERT_TRUE(same->empty()) << "seed " << seed << ": Diff(a, a) not empty";
  }
  EXPECT_GT(non_empty, kPairs * 9 / 10);  // the generator really produces changes
}

class DynamoDiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RandomDynamo rnd(1);
    table_ = rnd.Table("orders");
    table_.clear_global_indexes();
    table_.clear_local_indexes();
    // Overrides of the indexes just cleared would go with them in any diff.
    for (auto& r : *table_.mutable_replicas()) r.clear_global_indexes();
    rnd.SetBilling(&table_, false);
    CanonicalizeDynamoTable(&table_);
  }
  std::vector<pb::Event> DiffTo(const pb::DynamoTable& b) {
    pb::DynamoSchema sa, sb;
    (*sa.mutable_tables())["orders"] = table_;
    (*sb.mutable_tables())["orders"] = b;
    std::vector<pb::Event> events;
    pb::SchemaState got = ApplyDiff(Wrap(sa), Wrap(sb), &events);
    EXPECT_TRUE(MessageDifferencer::Equals(got, Wrap(sb)));
    return events;
  }
  pb::DynamoTable table_;
};

TEST_F(DynamoDiffTest, NewSortKeyReplacesTheTable) {
  pb::DynamoTable b = table_;
  b.mutable_key()->set_sort_key("created");
  auto* a = b.add_attributes();
  a->set_name("created");
  a->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_N);
  b.mutable_key()->set_partition_key("pk");
  CanonicalizeDynamoTable(&b);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].dynamodb().has_replace_table());
  EXPECT_EQ(events[0].dynamodb().replace_table().reason(), "key schema changed");
}

TEST_F(DynamoDiffTest, AddedIndexIsOneEventWithItsAttributes) {
  pb::DynamoTable b = table_;
  testing::RandomDynamo rnd(2);
  rnd.AddGsi(&b, "by_x");
  CanonicalizeDynamoTable(&b);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  const auto& add = events[0].dynamodb().add_global_index();
  EXPECT_EQ(add.index().name(), "by_x");
  EXPECT_GE(add.attributes_size(), 1);
}

TEST_F(DynamoDiffTest, RetypedIndexKeyIsDroppedThenAddedAgain) {
  pb::DynamoTable a = table_;
  a.mutable_attributes()->Add()->set_name("status");
  a.mutable_attributes(a.attributes_size() - 1)->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
  auto* g = a.add_global_indexes();
  g->set_name("by_status");
  g->mutable_key()->set_partition_key("status");
  g->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  CanonicalizeDynamoTable(&a);
  table_ = a;
  pb::DynamoTable b = a;
  for (auto& attr : *b.mutable_attributes()) {
    if (attr.name() == "status") attr.set_type(pb::DYNAMO_ATTRIBUTE_TYPE_N);
  }
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].dynamodb().has_drop_global_index());
  EXPECT_TRUE(events[1].dynamodb().has_add_global_index());
}

TEST_F(DynamoDiffTest, TagChangesAreFineGrained) {
  pb::DynamoTable a = table_;
  (*a.mutable_tags())["keep"] = "1";
  (*a.mutable_tags())["gone"] = "1";
  table_ = a;
  pb::DynamoTable b = a;
  b.mutable_tags()->erase("gone");
  (*b.mutable_tags())["new"] = "2";
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].dynamodb().remove_tag().key(), "gone");
  EXPECT_EQ(events[1].dynamodb().set_tag().key(), "new");
}

TEST(DynamoDiffEngines, DifferentEnginesCannotBeDiffed) {
  pb::SchemaState a, b;
  a.set_engine(pb::ENGINE_DYNAMODB);
  b.set_engine(pb::ENGINE_GLUE);
  auto d = Diff(a, b);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "cannot diff a ENGINE_DYNAMODB schema against a ENGINE_GLUE schema");
}

// Recovery and the policy are simple properties: after deletion protection, before tags.
TEST(DynamoDiff, RecoveryAndPolicyComeAfterDeletionProtectionAndBeforeTags) {
  testing::RandomDynamo rnd(1);
  pb::DynamoTable a = rnd.Table("t1");
  a.set_deletion_protection(false);
  a.set_point_in_time_recovery_days(0);
  a.set_resource_policy("");
  a.mutable_tags()->clear();
  pb::DynamoTable b = a;
  b.set_deletion_protection(true);
  b.set_point_in_time_recovery_days(5);
  b.set_resource_policy(rnd.Policy());
  (*b.mutable_tags())["k"] = "v";
  pb::DynamoSchema sa, sb;
  (*sa.mutable_tables())["t1"] = a;
  (*sb.mutable_tables())["t1"] = b;
  auto diff = Diff(Wrap(sa), Wrap(sb));
  ASSERT_TRUE(diff.ok());
  std::vector<std::string> kinds;
  for (const auto& e : *diff) {
    kinds.push_back(pb::DynamoChange::descriptor()
                        ->FindFieldByNumber(e.dynamodb().kind_case())
                        ->name());
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"set_deletion_protection",
                                             "set_point_in_time_recovery", "set_resource_policy",
                                             "set_tag"}));
  EXPECT_EQ((*diff)[1].dynamodb().set_point_in_time_recovery().recovery_period_days(), 5);
  EXPECT_EQ((*diff)[2].dynamodb().set_resource_policy().policy(), b.resource_policy());
}

std::vector<std::string> KindsOf(const std::vector<pb::Event>& events) {
  std::vector<std::string> kinds;
  for (const auto& e : events) {
    kinds.push_back(
        pb::DynamoChange::descriptor()->FindFieldByNumber(e.dynamodb().kind_case())->name());
  }
  return kinds;
}

// Insights (table, then kept indexes) and Kinesis destinations (removed, added, changed) come
// after recovery and before the policy and tags; a new index carries its insights in its add.
TEST(DynamoDiff, InsightsThenDestinationsAfterRecoveryBeforePolicy) {
  testing::RandomDynamo rnd(2);
  pb::DynamoTable a = rnd.Table("t1");
  a.clear_global_indexes();
  a.clear_replicas();
  a.set_point_in_time_recovery_days(0);
  a.set_resource_policy("");
  a.mutable_tags()->clear();
  a.clear_contributor_insights();
  a.clear_kinesis_destinations();
  auto* g = a.add_global_indexes();
  g->set_name("g1");
  g->mutable_key()->set_partition_key(a.key().partition_key());
  g->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (a.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED) {
    g->mutable_throughput()->set_read_capacity_units(1);
    g->mutable_throughput()->set_write_capacity_units(1);
  }
  auto destination = [](pb::DynamoTable* t, const std::string& name,
                        pb::DynamoTimestampPrecision p) {
    auto* d = t->add_kinesis_destinations();
    d->set_stream_arn("arn:aws:kinesis:us-east-1:123456789012:stream/" + name);
    d->set_precision(p);
  };
  destination(&a, "gone", pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  destination(&a, "kept", pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  pb::DynamoTable b = a;
  b.set_point_in_time_recovery_days(7);
  b.mutable_contributor_insights()->set_mode(pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  b.mutable_global_indexes(0)->mutable_contributor_insights()->set_mode(
      pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
  b.clear_kinesis_destinations();
  destination(&b, "kept", pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  destination(&b, "new", pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  b.set_resource_policy(rnd.Policy());
  CanonicalizeDynamoTable(&a);
  CanonicalizeDynamoTable(&b);
  pb::DynamoSchema sa, sb;
  (*sa.mutable_tables())["t1"] = a;
  (*sb.mutable_tables())["t1"] = b;
  auto diff = Diff(Wrap(sa), Wrap(sb));
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(KindsOf(*diff),
            (std::vector<std::string>{"set_point_in_time_recovery", "set_contributor_insights",
                                      "set_contributor_insights", "remove_kinesis_destination",
                                      "add_kinesis_destination",
                                      "set_kinesis_destination_precision",
                                      "set_resource_policy"}));
  EXPECT_EQ((*diff)[1].dynamodb().set_contributor_insights().index(), "");
  EXPECT_EQ((*diff)[2].dynamodb().set_contributor_insights().index(), "g1");
  EXPECT_EQ((*diff)[3].dynamodb().remove_kinesis_destination().stream_arn(),
            "arn:aws:kinesis:us-east-1:123456789012:stream/gone");
  EXPECT_EQ((*diff)[5].dynamodb().set_kinesis_destination_precision().precision(),
            pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  // Turning the table's insights off again is one change with no insights in it.
  auto back = Diff(Wrap(sb), Wrap(sa));
  ASSERT_TRUE(back.ok());
  ASSERT_GE(back->size(), 2u);
  EXPECT_FALSE((*back)[1].dynamodb().set_contributor_insights().has_insights());
}

pb::DynamoReplica Replica(const std::string& region) {
  pb::DynamoReplica r;
  r.set_region(region);
  r.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  return r;
}

// A stream turned on for the first replica comes before it; one turned off after the last
// replica is removed comes after the removal; tags stay before the additions.
TEST_F(DynamoDiffTest, ReplicasAreAddedAfterAndRemovedBeforeTheStreamTheyNeed) {
  table_.set_stream(pb::DYNAMO_STREAM_DISABLED);
  table_.clear_replicas();
  table_.mutable_tags()->clear();
  pb::DynamoTable b = table_;
  b.set_stream(pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES);
  *b.add_replicas() = Replica("us-west-2");
  *b.add_replicas() = Replica("eu-west-1");
  (*b.mutable_tags())["k"] = "v";
  CanonicalizeDynamoTable(&b);
  auto added = DiffTo(b);
  EXPECT_EQ(KindsOf(added), (std::vector<std::string>{"set_stream", "set_tag", "add_replica",
                                                      "add_replica"}));
  EXPECT_EQ(added[2].dynamodb().add_replica().replica().region(), "eu-west-1");

  table_ = b;
  pb::DynamoTable c = b;
  c.clear_replicas();
  c.set_stream(pb::DYNAMO_STREAM_DISABLED);
  auto removed = DiffTo(c);
  EXPECT_EQ(KindsOf(removed),
            (std::vector<std::string>{"remove_replica", "remove_replica", "set_stream"}));
}

// Settings of a kept replica are one update with the whole replica; overrides of an index
// that is dropped go with the index and need no update of their own.
TEST_F(DynamoDiffTest, ReplicaSettingsAreOneUpdateAndDroppedIndexesTakeTheirOverrides) {
  testing::RandomDynamo rnd(3);
  rnd.AddGsi(&table_, "by_kind");
  table_.clear_replicas();
  pb::DynamoReplica r = Replica("eu-west-1");
  auto* o = r.add_global_indexes();
  o->set_name("by_kind");
  o->set_max_read_request_units(40);
  *table_.add_replicas() = r;
  CanonicalizeDynamoTable(&table_);

  pb::DynamoTable b = table_;
  b.mutable_replicas(0)->set_max_read_request_units(700);
  b.mutable_replicas(0)->set_kms_key("alias/eu");
  auto updated = DiffTo(b);
  ASSERT_EQ(KindsOf(updated), (std::vector<std::string>{"update_replica"}));
  EXPECT_EQ(updated[0].dynamodb().update_replica().replica().max_read_request_units(), 700);

  pb::DynamoTable c = table_;
  c.clear_global_indexes();
  c.mutable_replicas(0)->clear_global_indexes();
  CanonicalizeDynamoTable(&c);
  EXPECT_EQ(KindsOf(DiffTo(c)), (std::vector<std::string>{"drop_global_index"}));
}

// ---- in batches -------------------------------------------------------------------------

// The batches of DiffInBatches, each as the tables its events are about, in order.
struct Batches {
  std::vector<pb::Event> joined;
  std::vector<std::vector<std::string>> tables;  // per batch, each table once, in order
};

Batches CollectBatches(const pb::SchemaState& a, const pb::SchemaState& b, size_t size,
                       DiffPart part = {}) {
  Batches out;
  Status s = DiffInBatches(a, b, size, [&](std::vector<pb::Event>& batch) {
    EXPECT_FALSE(batch.empty());
    std::vector<std::string> tables;
    for (auto& e : batch) {
      const std::string t = DynamoTableOf(e.dynamodb());
      if (tables.empty() || tables.back() != t) tables.push_back(t);
      out.joined.push_back(std::move(e));
    }
    out.tables.push_back(std::move(tables));
    return Status::Ok();
  }, part);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(DynamoDiffBatches, JoinedTheyAreTheWholeDiffAndNoTableIsSplit) {
  int split_runs = 0;
  for (int seed = 0; seed < 300; ++seed) {
    testing::RandomDynamo rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    pb::SchemaState b = Wrap(rnd.Mutated(a.dynamodb()));
    auto whole = Diff(a, b);
    ASSERT_TRUE(whole.ok());
    for (size_t size : {size_t{1}, size_t{2}, size_t{3}, size_t{1000}}) {
      Batches got = CollectBatches(a, b, size);
      ASSERT_EQ(got.joined.size(), whole->size()) << "seed " << seed << " size " << size;
      for (size_t i = 0; i < whole->size(); ++i) {
        ASSERT_TRUE(MessageDifferencer::Equals(got.joined[i], (*whole)[i]))
            << "seed " << seed << " size " << size << " event " << i;
      }
      std::set<std::string> seen;
      for (size_t i = 0; i < got.tables.size(); ++i) {
        // Every batch but the last holds exactly `size` tables; a table is never in two.
        if (i + 1 < got.tables.size()) {
          EXPECT_EQ(got.tables[i].size(), size) << "seed " << seed;
        }
        for (const auto& t : got.tables[i]) {
          EXPECT_TRUE(seen.insert(t).second) << "seed " << seed << ": " << t << " split";
        }
      }
      split_runs += got.tables.size() > 1;
    }
  }
  EXPECT_GT(split_runs, 300);  // most pairs really came in several batches
}

// `diff` prints the two halves of a schema's tables on two threads: the parts, joined in
// order, are the whole diff event for event, each table in one part only, and the parts are
// about equally long.
TEST(DynamoDiffBatches, PartsJoinedInOrderAreTheWholeDiff) {
  for (int seed = 0; seed < 200; ++seed) {
    testing::RandomDynamo rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    pb::SchemaState b = Wrap(rnd.Mutated(a.dynamodb()));
    auto whole = Diff(a, b);
    ASSERT_TRUE(whole.ok());
    for (size_t count : {size_t{1}, size_t{2}, size_t{3}, size_t{7}}) {
      std::vector<pb::Event> joined;
      std::set<std::string> seen;
      for (size_t index = 0; index < count; ++index) {
        Batches part = CollectBatches(a, b, 2, DiffPart{index, count});
        std::set<std::string> here;
        for (const auto& tables : part.tables) here.insert(tables.begin(), tables.end());
        for (const auto& t : here) {
          EXPECT_TRUE(seen.insert(t).second) << "seed " << seed << ": " << t << " in two parts";
        }
        for (auto& e : part.joined) joined.push_back(std::move(e));
      }
      ASSERT_EQ(joined.size(), whole->size()) << "seed " << seed << " in " << count;
      for (size_t i = 0; i < whole->size(); ++i) {
        ASSERT_TRUE(MessageDifferencer::Equals(joined[i], (*whole)[i]))
            << "seed " << seed << " in " << count << " parts, event " << i;
      }
    }
  }
  // The parts cut the table names (of either side) into runs of about equal length: ten tables
  // all dropped are one event each, in parts of 5 and 5, or of 3, 3 and 4.
  pb::SchemaState a;
  a.set_engine(pb::ENGINE_DYNAMODB);
  for (int i = 0; i < 10; ++i) {
    const std::string name = "t" + std::to_string(i);
    pb::DynamoTable& t = (*a.mutable_dynamodb()->mutable_tables())[name];
    t.set_name(name);
    t.mutable_key()->set_partition_key("id");
  }
  pb::SchemaState none;
  none.set_engine(pb::ENGINE_DYNAMODB);
  none.mutable_dynamodb();
  auto sizes = [&](size_t count) {
    std::vector<size_t> out;
    for (size_t i = 0; i < count; ++i) {
      out.push_back(CollectBatches(a, none, 1000, DiffPart{i, count}).joined.size());
    }
    return out;
  };
  EXPECT_EQ(sizes(2), (std::vector<size_t>{5, 5}));
  EXPECT_EQ(sizes(3), (std::vector<size_t>{3, 3, 4}));
}

TEST(DynamoDiffBatches, ASinksErrorEndsTheDiffAndIsReturned) {
  testing::RandomDynamo rnd(7);
  pb::SchemaState a = Wrap(rnd.Schema());
  pb::SchemaState b;
  b.set_engine(pb::ENGINE_DYNAMODB);
  b.mutable_dynamodb();  // every table dropped: one event per table
  ASSERT_GT(a.dynamodb().tables_size(), 1);
  int calls = 0;
  Status s = DiffInBatches(a, b, 1, [&](std::vector<pb::Event>&) {
    ++calls;
    return Status::Aborted("the reader went away");
  });
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(s.message(), "the reader went away");
  EXPECT_EQ(calls, 1);
}

TEST(DynamoDiffBatches, OtherEnginesArriveInOneBatchAndMismatchesAreRefused) {
  pb::SchemaState a, b;
  a.set_engine(pb::ENGINE_GLUE);
  b.set_engine(pb::ENGINE_GLUE);
  for (const char* db : {"sales", "ops", "logs"}) {
    (*b.mutable_glue()->mutable_databases())[db].set_name(db);
  }
  auto whole = Diff(a, b);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->size(), 3u);
  int calls = 0;
  size_t events = 0;
  ASSERT_TRUE(DiffInBatches(a, b, 1, [&](std::vector<pb::Event>& batch) {
                ++calls;
                events += batch.size();
                return Status::Ok();
              }).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(events, 3u);
  // In parts, that one batch is part 0's; the others send none.
  calls = 0;
  ASSERT_TRUE(DiffInBatches(a, b, 1, [&](std::vector<pb::Event>& batch) {
                ++calls;
                EXPECT_EQ(batch.size(), 3u);
                return Status::Ok();
              }, DiffPart{0, 2}).ok());
  ASSERT_TRUE(DiffInBatches(a, b, 1, [&](std::vector<pb::Event>&) {
                ++calls;
                return Status::Ok();
              }, DiffPart{1, 2}).ok());
  EXPECT_EQ(calls, 1);
  // No events, no batch.
  calls = 0;
  ASSERT_TRUE(DiffInBatches(b, b, 1, [&](std::vector<pb::Event>&) {
                ++calls;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(calls, 0);
  pb::SchemaState dynamo;
  dynamo.set_engine(pb::ENGINE_DYNAMODB);
  EXPECT_EQ(DiffInBatches(dynamo, b, 1, [](std::vector<pb::Event>&) { return Status::Ok(); })
                .code(),
            Code::kInvalidArgument);
}

// The diff decides "unchanged" by comparing deterministic serializations, which agrees with
// comparing values only while no message holds a floating-point field (-0.0 and NaN).
bool HasFloatingPoint(const google::protobuf::Descriptor* d,
                      std::set<const google::protobuf::Descriptor*>* seen) {
  if (!seen->insert(d).second) return false;
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE ||
        f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_FLOAT) {
      ADD_FAILURE() << f->full_name() << " is floating point";
      return true;
    }
    if (f->message_type() != nullptr && HasFloatingPoint(f->message_type(), seen)) return true;
  }
  return false;
}

TEST(DynamoDiffSame, NoDynamoMessageHasAFloatingPointField) {
  std::set<const google::protobuf::Descriptor*> seen;
  EXPECT_FALSE(HasFloatingPoint(pb::DynamoTable::descriptor(), &seen));
  EXPECT_FALSE(HasFloatingPoint(pb::DynamoChange::descriptor(), &seen));
  EXPECT_GT(seen.size(), 10u);  // the walk went into the nested messages
}

}  // namespace
}  // namespace strata
