// tether::model::OneOf, the value of generated unions: it must hold exactly one alternative
// at all times (as std::variant does, never valueless), keep each value's constructors and
// destructors balanced through copies, moves, assignments and failed reads, and read and
// write JSON through its alternatives' own functions.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "counted.h"
#include "tether/model/model.h"
#include "tether/model/objects.h"

// Counted reads and writes as a JSON string (found by argument-dependent lookup).
namespace tether::testing {
bool read(const nlohmann::json& j, Counted& out, tether::model::Reader& r) {
  if (!j.is_string()) return r.fail("expected a string");
  out.text = j.get<std::string>();
  return true;
}
void write(nlohmann::json& out, const Counted& value) { out = value.text; }
}  // namespace tether::testing

namespace {

using tether::model::BadAlternative;
using tether::model::Json;
using tether::model::OneOf;
using tether::model::Reader;

using tether::testing::Counted;

// Throws from its copy, to check that a failed assignment keeps the old value.
struct ThrowsOnCopy {
  ThrowsOnCopy() = default;
  ThrowsOnCopy(const ThrowsOnCopy&) { throw std::runtime_error("copy"); }
  ThrowsOnCopy(ThrowsOnCopy&&) noexcept = default;
  bool operator==(const ThrowsOnCopy&) const = default;
};

TEST(OneOf, StartsAsItsFirstAlternativeValueInitialized) {
  OneOf<std::int64_t, std::string> value;
  EXPECT_EQ(value.index(), 0u);
  EXPECT_TRUE(value.is<std::int64_t>());
  EXPECT_EQ(value.get<std::int64_t>(), 0);
  EXPECT_EQ(value.getIf<std::string>(), nullptr);
  EXPECT_THROW(value.get<std::string>(), BadAlternative);
}

TEST(OneOf, ConstructsAndAssignsFromAnAlternativeOrWhatConvertsToOne) {
  OneOf<double, std::string> value = std::string("text");
  EXPECT_EQ(value.index(), 1u);
  EXPECT_EQ(value.get<1>(), "text");

  value = 2.5;  // its own type
  EXPECT_EQ(value.get<double>(), 2.5);
  value = "literal";  // const char* converts to the first alternative it can: std::string
  EXPECT_EQ(value.get<std::string>(), "literal");
  value = 3;  // int to double
  EXPECT_EQ(value.get<double>(), 3.0);

  // An exact match wins over an earlier alternative the value converts to.
  OneOf<double, int> number = 7;
  EXPECT_EQ(number.index(), 1u);
}

TEST(OneOf, GetIfAndVisitReachTheHeldAlternative) {
  OneOf<int, std::string> value = std::string("abc");
  ASSERT_NE(value.getIf<std::string>(), nullptr);
  value.getIf<std::string>()->append("d");
  EXPECT_EQ(value.get<std::string>(), "abcd");

  struct Size {
    std::size_t operator()(int n) const { return static_cast<std::size_t>(n); }
    std::size_t operator()(const std::string& s) const { return s.size(); }
  };
  EXPECT_EQ(value.visit(Size{}), 4u);
  const auto& constant = value;
  EXPECT_EQ(constant.visit(Size{}), 4u);
  value.visit([](auto& alternative) {
    if constexpr (std::is_same_v<std::decay_t<decltype(alternative)>, std::string>) alternative = "changed";
  });
  EXPECT_EQ(value.get<std::string>(), "changed");
}

TEST(OneOf, ComparesTheIndexThenTheValue) {
  OneOf<int, std::string> a = 1, b = 1, c = std::string("1");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);  // different alternatives
  b = 2;
  EXPECT_NE(a, b);
}

TEST(OneOf, CopiesMovesAndDestroysEachValueOnce) {
  Counted::live = 0;
  {
    OneOf<int, Counted> first = Counted("a");
    EXPECT_EQ(Counted::live, 1);
    OneOf<int, Counted> copy = first;
    EXPECT_EQ(Counted::live, 2);
    OneOf<int, Counted> moved = std::move(copy);
    EXPECT_EQ(Counted::live, 3);  // the moved-from value lives on, as std::variant's does
    moved = 5;                    // the Counted it held goes
    EXPECT_EQ(Counted::live, 2);
    moved = first;  // copy assignment across alternatives
    EXPECT_EQ(Counted::live, 3);
    EXPECT_EQ(moved.get<Counted>().text, "a");
    moved.emplace<Counted>("b");
    EXPECT_EQ(Counted::live, 3);
    EXPECT_EQ(moved.get<Counted>().text, "b");
    moved = moved;  // NOLINT: self-assignment keeps the value
    EXPECT_EQ(moved.get<Counted>().text, "b");
    std::vector<OneOf<int, Counted>> many(10, first);  // growth moves them
    many.resize(100);
    EXPECT_EQ(Counted::live, 13);
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(OneOf, AFailedAssignmentKeepsTheOldValue) {
  OneOf<int, ThrowsOnCopy> value = 4;
  ThrowsOnCopy source;
  EXPECT_THROW(value = source, std::runtime_error);
  EXPECT_EQ(value.get<int>(), 4);
  OneOf<int, ThrowsOnCopy> other = ThrowsOnCopy{};
  EXPECT_THROW(value = other, std::runtime_error);
  EXPECT_EQ(value.get<int>(), 4);
}

TEST(OneOf, ReadsTheFirstAlternativeThatReadsAndWritesTheHeldOne) {
  Counted::live = 0;
  {
    OneOf<std::int64_t, Counted> value;
    Reader r;
    ASSERT_TRUE(tether::model::readFirstMatching(Json("text"), value, r));
    EXPECT_EQ(value.get<Counted>().text, "text");
    EXPECT_EQ(Counted::live, 1);
    ASSERT_TRUE(tether::model::readFirstMatching(Json(12), value, r));
    EXPECT_EQ(value.get<std::int64_t>(), 12);
    EXPECT_EQ(Counted::live, 0);

    Json out;
    tether::model::writeOneOf(out, value);
    EXPECT_EQ(out, Json(12));

    Reader failing;
    EXPECT_FALSE(tether::model::readFirstMatching(Json::array(), value, failing));
    EXPECT_EQ(failing.errorMessage(), "matches none of the alternatives");
    EXPECT_EQ(value.get<std::int64_t>(), 12);  // a failed read leaves the value alone
  }
  EXPECT_EQ(Counted::live, 0);
}

TEST(OneOf, ReadsTheAlternativeItsDiscriminatorNames) {
  OneOf<std::int64_t, Counted> value;
  static constexpr tether::model::Tag tags[] = {{"word", 1}};
  Reader r;
  // A tag decides only for objects; others try the alternatives in order.
  ASSERT_TRUE(tether::model::readUnion(Json("plain"), value, r, "kind", tags));
  EXPECT_EQ(value.get<Counted>().text, "plain");

  Reader unknown;
  EXPECT_FALSE(tether::model::readUnion(Json{{"kind", "other"}}, value, unknown, "kind", tags));
  EXPECT_EQ(unknown.errorPointer(), "/kind");

  Reader named;
  // The tag names the Counted alternative, which cannot read an object: its own error.
  EXPECT_FALSE(tether::model::readUnion(Json{{"kind", "word"}}, value, named, "kind", tags));
  EXPECT_EQ(named.errorMessage(), "expected a string");
}

}  // namespace
