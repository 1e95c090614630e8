#include "engine/state/objects.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata {
namespace {

TEST(ObjectAndParentsTest, NamesTheContainers) {
  EXPECT_EQ(ObjectAndParents("orders"), std::vector<std::string>{"orders"});
  EXPECT_EQ(ObjectAndParents("sales.orders"), (std::vector<std::string>{"sales", "sales.orders"}));
  EXPECT_EQ(ObjectAndParents("public.f(a.b)"), (std::vector<std::string>{"public", "public.f(a.b)"}));
  EXPECT_EQ(ObjectAndParents("ext:pg.crypto"), std::vector<std::string>{"ext:pg.crypto"});
}

}  // namespace
}  // namespace strata
