// Choosing tables on a terminal: the answer parser, the re-asking loop and the typed
// confirmations, with answers from a string stream.
#include "cli/table_pick.h"

#include <gtest/gtest.h>

#include <sstream>

namespace strata::cli {
namespace {

using Names = std::vector<std::string>;

const std::vector<std::string> kTables = {"events", "orders", "users", "2024"};

TEST(ParseTableSelection, NumbersRangesAndNamesInListOrderWithoutRepeats) {
  auto chosen = ParseTableSelection("3, 1-2 users", kTables);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(*chosen, (Names{"events", "orders", "users"}));
}

TEST(ParseTableSelection, ANameThatLooksLikeANumberIsTheName) {
  auto chosen = ParseTableSelection("2024", kTables);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, (Names{"2024"}));
}

TEST(ParseTableSelection, BlankIsNothing) {
  auto chosen = ParseTableSelection("  ,  ", kTables);
  ASSERT_TRUE(chosen.ok());
  EXPECT_TRUE(chosen->empty());
}

TEST(ParseTableSelection, OutOfRangeAndUnknownWordsAreNamed) {
  auto zero = ParseTableSelection("0", kTables);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().message(), "\"0\" is not in the list (1-4)");
  auto past = ParseTableSelection("2-9", kTables);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().message(), "\"2-9\" is not in the list (1-4)");
  auto backwards = ParseTableSelection("3-2", kTables);
  EXPECT_FALSE(backwards.ok());
  auto name = ParseTableSelection("1 ordres", kTables);
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(name.status().message(),
            "\"ordres\" is neither a number from the list nor one of its table names");
}

class PromptTest : public ::testing::Test {
 protected:
  PromptTest() {
    ctx_.out = &out_;
    ctx_.err = &err_;
  }
  Context ctx_;
  std::ostringstream out_, err_;
};

TEST_F(PromptTest, PickListsTheCandidatesAndAsksAgainAfterABadAnswer) {
  std::istringstream in("7\n2 users\n");
  PickOptions o;
  o.question = "Tables to drop";
  o.details = {"3 items", "12 items"};
  auto chosen = PickTables(ctx_, in, {"events", "orders", "users"}, o);
  EXPECT_EQ(chosen, (Names{"orders", "users"}));
  EXPECT_NE(err_.str().find("    1) events  3 items\n    2) orders  12 items\n    3) users\n"),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("\"7\" is not in the list (1-3)"), std::string::npos) << err_.str();
  EXPECT_TRUE(out_.str().empty());  // questions never go to stdout
}

TEST_F(PromptTest, PickReturnsNothingOnABlankAnswerOrEndOfInput) {
  std::istringstream blank("\n1\n");
  EXPECT_TRUE(PickTables(ctx_, blank, {"a", "b"}, PickOptions{}).empty());
  std::istringstream eof("");
  EXPECT_TRUE(PickTables(ctx_, eof, {"a", "b"}, PickOptions{}).empty());
}

TEST_F(PromptTest, EachTableNameMustBeTypedExactly) {
  auto warning = [](const std::string& t) { return "Table " + t + " will be deleted."; };
  std::istringstream good("orders\n  users \n");
  EXPECT_TRUE(ConfirmEachTable(ctx_, good, {"orders", "users"}, warning).ok());
  EXPECT_NE(err_.str().find("Table orders will be deleted. Type orders to confirm: "),
            std::string::npos)
      << err_.str();

  std::istringstream wrong("orders\nyes\n");
  Status s = ConfirmEachTable(ctx_, wrong, {"orders", "users"}, warning);
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(s.message(), "users was not confirmed; nothing was changed");

  std::istringstream ended("");
  EXPECT_EQ(ConfirmEachTable(ctx_, ended, {"orders"}, warning).code(), Code::kAborted);
}

}  // namespace
}  // namespace strata::cli
