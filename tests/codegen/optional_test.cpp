// tether::model::Optional, the optional member of generated models: it must behave as the
// std::optional it replaces (user code written against std::optional keeps compiling and
// means the same), and it must run each constructor and destructor of its value exactly
// once, which a hand-rolled union storage can get wrong.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "counted.h"
#include "tether/model/model.h"

namespace {

using tether::model::Nullable;
using tether::model::Optional;

using tether::testing::Counted;

TEST(ModelOptional, StartsEmptyAndTakesAValue) {
  Optional<std::string> name;
  EXPECT_FALSE(name.has_value());
  EXPECT_FALSE(name);
  EXPECT_EQ(name, std::nullopt);
  EXPECT_EQ(name.value_or("fallback"), "fallback");
  EXPECT_THROW(name.value(), std::bad_optional_access);

  name = "Ada";  // converts like std::optional<std::string>
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "Ada");
  EXPECT_EQ(name->size(), 3u);
  EXPECT_EQ(name.value(), "Ada");
  EXPECT_EQ(name, std::string("Ada"));
  EXPECT_FALSE(name == std::string("Bob"));

  name = std::nullopt;
  EXPECT_FALSE(name.has_value());
  name.emplace(3, 'x');
  EXPECT_EQ(*name, "xxx");
  name.reset();
  EXPECT_FALSE(name);
}

TEST(ModelOptional, ComparesLikeStdOptional) {
  Optional<int> a, b;
  EXPECT_EQ(a, b);  // both empty
  a = 1;
  EXPECT_NE(a, b);
  b = 1;
  EXPECT_EQ(a, b);
  b = 2;
  EXPECT_NE(a, b);
  EXPECT_EQ(a, std::optional<int>(1));
  EXPECT_NE(a, std::optional<int>());
  EXPECT_EQ(Optional<int>(), std::optional<int>());  // empty equals empty
  EXPECT_NE(Optional<int>(), 0);                     // empty never equals a value
}

TEST(ModelOptional, ConvertsToAndFromStdOptional) {
  std::optional<std::string> standard = "from std";
  Optional<std::string> ours = standard;
  EXPECT_EQ(*ours, "from std");
  std::optional<std::string> back = ours;
  EXPECT_EQ(back, std::optional<std::string>("from std"));
  ours = std::optional<std::string>();
  EXPECT_FALSE(ours);
  back = ours;
  EXPECT_FALSE(back.has_value());
}

TEST(ModelOptional, CopiesMovesAndDestroysEachValueOnce) {
  Counted::live = 0;
  {
    Optional<Counted> a = Counted("one");
    EXPECT_EQ(Counted::live, 1);
    Optional<Counted> b = a;  // copy
    EXPECT_EQ(Counted::live, 2);
    Optional<Counted> c = std::move(a);  // move: the moved-from keeps its (moved) value
    EXPECT_EQ(Counted::live, 3);
    EXPECT_EQ(c->text, "one");
    b = std::nullopt;
    EXPECT_EQ(Counted::live, 2);
    b = c;  // into an empty one
    EXPECT_EQ(Counted::live, 3);
    b = Optional<Counted>();  // from empty
    EXPECT_EQ(Counted::live, 2);
    c = c;  // NOLINT: self-assignment keeps the value
    EXPECT_EQ(c->text, "one");
    std::vector<Optional<Counted>> many(3, Counted("x"));  // copies, then reallocations move
    many.emplace_back();
    EXPECT_EQ(Counted::live, 2 + 3);
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(ModelOptional, NullableIsAnOptionalThatReadsNull) {
  Optional<Nullable<int>> absent;
  Optional<Nullable<int>> null = Nullable<int>();
  Optional<Nullable<int>> four = Nullable<int>(4);
  EXPECT_FALSE(absent);
  ASSERT_TRUE(null);
  EXPECT_TRUE(null->isNull());
  ASSERT_TRUE(four);
  EXPECT_EQ(**four, 4);
  EXPECT_NE(null, four);

  tether::model::Reader r;
  Nullable<int> read = 7;
  ASSERT_TRUE(tether::model::read(nlohmann::json(nullptr), read, r));
  EXPECT_TRUE(read.isNull());
  Optional<int> member;
  ASSERT_TRUE(tether::model::read(nlohmann::json(5), member, r));
  EXPECT_EQ(member, 5);
  EXPECT_FALSE(tether::model::read(nlohmann::json("five"), member, r));
}

}  // namespace
