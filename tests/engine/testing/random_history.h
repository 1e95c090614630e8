// A random but valid DynamoDB history written to a log: each commit the diff from one random
// schema to the next (RandomDynamo), for tests that need many real commits fast.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "engine/diff/diff.h"
#include "engine/store/commit_store.h"
#include "tests/engine/testing/random_dynamo.h"

namespace strata::testing {

// Appends `commits` commits to `writer`, going on from `models->back()` (an empty schema when
// `models` is empty, which is then pushed as the state at seq 0) and pushing each model reached.
// `stamp(commit, models so far)` sets each commit's time and actor. Fails the test on a write
// error.
inline void AppendRandomDynamoHistory(CommitWriter& writer, RandomDynamo& rnd, int commits,
                                      std::vector<pb::DynamoSchema>* models,
                                      const std::function<void(pb::Commit*, size_t)>& stamp) {
  if (models->empty()) models->push_back(pb::DynamoSchema());
  for (int i = 0; i < commits;) {
    pb::DynamoSchema next = rnd.Mutated(models->back());
    pb::SchemaState a, b;
    a.set_engine(pb::ENGINE_DYNAMODB);
    b.set_engine(pb::ENGINE_DYNAMODB);
    *a.mutable_dynamodb() = models->back();
    *b.mutable_dynamodb() = next;
    auto events = Diff(a, b);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    if (events->empty()) continue;
    pb::Commit c;
    c.set_origin(pb::ORIGIN_GENERATE);
    c.set_schema("dynamodb");
    c.set_engine(pb::ENGINE_DYNAMODB);
    stamp(&c, models->size());
    for (auto& e : *events) *c.add_events() = e;
    auto appended = writer.Append(c);
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    models->push_back(std::move(next));
    ++i;
  }
}

}  // namespace strata::testing
