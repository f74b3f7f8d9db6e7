// The generated models, compiled and run: each spec of specs/ is generated at build time
// into its own namespace (see CMakeLists.txt) and compiled with -Wall -Wextra -Werror.
// These tests assert what a user of the models sees: values read, errors with their JSON
// Pointer, and JSON written back.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "allof/models.h"
#include "anyof/models.h"
#include "enums/models.h"
#include "maps/models.h"
#include "names/models.h"
#include "nullable_30/models.h"
#include "nullable_31/models.h"
#include "oneof_discriminator/models.h"
#include "oneof_plain/models.h"
#include "recursion/models.h"

namespace {

using nlohmann::json;
using tether::model::ParseError;
using tether::model::parse;
using tether::model::ReadOptions;
using tether::model::serialize;

// The ParseError parse<T>(j) throws; fails the test when it does not throw.
template <class T>
ParseError parseError(const json& j, ReadOptions options = {}) {
  try {
    (void)parse<T>(j, options);
  } catch (const ParseError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed without error: " << j.dump();
  return ParseError("<none>", "<none>");
}

// ---- nullable versus optional -------------------------------------------------------------

TEST(NullableVersusOptional, FourStatesAreDistinctAndWrittenBackAsTheyCame31) {
  // Required and non-null, required and null, optional and absent, optional and null.
  json in = {{"requiredPlain", "a"}, {"requiredNullable", nullptr}, {"requiredNullableRef", nullptr},
             {"optionalNullable", nullptr}};
  auto record = parse<nullable_31::Record>(in);
  EXPECT_EQ(record.required_plain, "a");
  EXPECT_TRUE(record.required_nullable.isNull());
  EXPECT_FALSE(record.optional_plain.has_value());        // absent
  ASSERT_TRUE(record.optional_nullable.has_value());      // present...
  EXPECT_TRUE(record.optional_nullable->isNull());        // ...and null
  EXPECT_TRUE(record.required_nullable_ref.isNull());
  EXPECT_FALSE(record.optional_nullable_ref.has_value());
  EXPECT_EQ(serialize(record), in);

  json values = {{"requiredPlain", "a"},
                 {"requiredNullable", "b"},
                 {"requiredNullableRef", {{"city", "Oslo"}}},
                 {"optionalPlain", 3},
                 {"optionalNullable", 4},
                 {"optionalNullableRef", {{"city", "Bergen"}}},
                 {"nullableArray", {"x", nullptr}},
                 {"nullableMap", {{"k", 1.5}, {"n", nullptr}}},
                 {"onlyNull", nullptr},
                 {"anything", {{"free", {1, "form"}}}}};
  auto full = parse<nullable_31::Record>(values);
  EXPECT_EQ(*full.required_nullable, "b");
  EXPECT_EQ(full.required_nullable_ref->city, "Oslo");
  EXPECT_EQ(**full.optional_nullable, 4);
  ASSERT_TRUE(full.nullable_array.has_value());
  ASSERT_EQ((**full.nullable_array).size(), 2u);
  EXPECT_TRUE((**full.nullable_array)[1].isNull());
  EXPECT_EQ(serialize(full), values);
  EXPECT_EQ(parse<nullable_31::Record>(serialize(full)), full);

  // Absent and null differ in the value too, not only in the JSON.
  json absent = in;
  absent.erase("optionalNullable");
  EXPECT_NE(parse<nullable_31::Record>(absent), record);
  EXPECT_EQ(serialize(parse<nullable_31::Record>(absent)), absent);
}

TEST(NullableVersusOptional, RequiredMeansPresentAndNonNullableMeansNotNull) {
  json in = {{"requiredPlain", "a"}, {"requiredNullableRef", nullptr}};
  ParseError missing = parseError<nullable_31::Record>(in);
  EXPECT_EQ(missing.pointer(), "");
  EXPECT_EQ(missing.reason(), "missing required member \"requiredNullable\"");

  json null = {{"requiredPlain", nullptr}, {"requiredNullable", nullptr}, {"requiredNullableRef", nullptr}};
  EXPECT_EQ(parseError<nullable_31::Record>(null).pointer(), "/requiredPlain");
  json optionalNull = {{"requiredPlain", "a"}, {"requiredNullable", nullptr}, {"requiredNullableRef", nullptr},
                       {"optionalPlain", nullptr}};
  EXPECT_EQ(parseError<nullable_31::Record>(optionalNull).pointer(), "/optionalPlain");
  json nestedNull = {{"requiredPlain", "a"}, {"requiredNullable", nullptr}, {"requiredNullableRef", {{"city", nullptr}}}};
  EXPECT_EQ(parseError<nullable_31::Record>(nestedNull).pointer(), "/requiredNullableRef/city");
}

TEST(NullableVersusOptional, NamedNullableSchemaByReference) {
  json in = {{"name", nullptr}, {"other", "x"}};
  auto holder = parse<nullable_31::Holder>(in);
  EXPECT_TRUE(holder.name.isNull());
  EXPECT_EQ(**holder.other, "x");
  EXPECT_EQ(serialize(holder), in);
}

TEST(NullableVersusOptional, OpenApi30NullableKeyword) {
  json in = {{"requiredPlain", "a"},
             {"requiredNullable", nullptr},
             {"requiredNullableRef", nullptr},
             {"optionalNullableRef", {{"city", "Rome"}}},
             {"nullableArray", {nullptr, "b"}},
             {"nullableEnum", nullptr}};
  auto record = parse<nullable_30::Record>(in);
  EXPECT_TRUE(record.required_nullable.isNull());
  EXPECT_FALSE(record.optional_nullable.has_value());
  EXPECT_TRUE(record.required_nullable_ref.isNull());
  EXPECT_EQ((*record.optional_nullable_ref)->city, "Rome");
  ASSERT_TRUE(record.nullable_enum.has_value());
  EXPECT_TRUE(record.nullable_enum->isNull());
  EXPECT_EQ(serialize(record), in);

  in["nullableEnum"] = "b";
  EXPECT_EQ(**parse<nullable_30::Record>(in).nullable_enum, nullable_30::RecordNullableEnum::B);
  in["optionalNullable"] = nullptr;
  EXPECT_EQ(serialize(parse<nullable_30::Record>(in)), in);
  in["requiredPlain"] = nullptr;  // not nullable in 3.0 either
  EXPECT_EQ(parseError<nullable_30::Record>(in).pointer(), "/requiredPlain");
}

// ---- unknown members ----------------------------------------------------------------------

TEST(UnknownMembers, KeptWhenTheSchemaAllowsThem) {
  json in = {{"id", "a"}, {"colour", "red"}, {"nested", {{"deep", {1, 2}}}}};
  auto open = parse<maps::Open>(in);
  EXPECT_EQ(open.id, "a");
  EXPECT_EQ(open.additional_properties, json({{"colour", "red"}, {"nested", {{"deep", {1, 2}}}}}));
  EXPECT_EQ(serialize(open), in);
}

TEST(UnknownMembers, RejectedOnRequestWhereTheSchemaAllowsThem) {
  ReadOptions strict;
  strict.unknownFields = tether::model::UnknownFields::Reject;
  json in = {{"open", {{"id", "a"}, {"extra", 1}}}};
  ParseError e = parseError<maps::Registry>(in, strict);
  EXPECT_EQ(e.pointer(), "/open/extra");
  EXPECT_EQ(e.reason(), "unknown member");
}

TEST(UnknownMembers, RejectedWithTheirPointerWhenAdditionalPropertiesIsFalse) {
  ParseError top = parseError<maps::Closed>(json{{"id", "a"}, {"extra", 1}});
  EXPECT_EQ(top.pointer(), "/extra");
  EXPECT_EQ(top.reason(), "member not allowed by the schema");

  json nested = {{"byName", {{"first", {{"id", "a"}}}, {"second", {{"id", "b"}, {"a/b~c", true}}}}}};
  EXPECT_EQ(parseError<maps::Registry>(nested).pointer(), "/byName/second/a~1b~0c");
}

TEST(UnknownMembers, TypedAdditionalPropertiesAreCheckedAndKept) {
  json in = {{"id", "a"}, {"x", "one"}, {"y", "two"}};
  auto typed = parse<maps::Typed>(in);
  EXPECT_EQ(typed.additional_properties.size(), 2u);
  EXPECT_EQ(typed.additional_properties.at("y"), "two");
  EXPECT_EQ(serialize(typed), in);
  EXPECT_EQ(parseError<maps::Typed>(json{{"id", "a"}, {"x", 5}}).pointer(), "/x");
}

TEST(Maps, PureNestedAndOfStructs) {
  json in = {{"limits", {{"cpu", 4}, {"memory", 512}}},
             {"byName", {{"a", {{"id", "1"}}}}},
             {"nested", {{"outer", {{"inner", {1, 2, 3}}}}}},
             {"any", {{"x", {1, nullptr}}, {"y", "z"}}}};
  auto registry = parse<maps::Registry>(in);
  EXPECT_EQ(registry.limits->at("memory"), 512);
  EXPECT_EQ(registry.by_name->at("a").id, "1");
  EXPECT_EQ(registry.nested->at("outer").at("inner").at(2), 3);
  EXPECT_EQ(serialize(registry), in);
  EXPECT_EQ(parseError<maps::Limits>(json{{"cpu", "four"}}).pointer(), "/cpu");
  EXPECT_EQ(parseError<maps::Limits>(json::array()).pointer(), "");
}

// ---- unions -------------------------------------------------------------------------------

TEST(Discriminator, PicksTheMappedAlternative) {
  using namespace oneof_discriminator;
  auto kitten = parse<Pet>(json{{"petType", "kitten"}, {"name", "Tom"}, {"lives", 9}});
  ASSERT_EQ(kitten.value.index(), 0u);
  EXPECT_EQ(kitten.value.get<Cat>().lives, 9);
  EXPECT_EQ(parse<Pet>(json{{"petType", "cat"}, {"name", "Tom"}}).value.index(), 0u);
  // Dog and Cat have the same required members: only the discriminator tells them apart.
  auto dog = parse<Pet>(json{{"petType", "dog"}, {"name", "Rex"}});
  ASSERT_EQ(dog.value.index(), 1u);
  EXPECT_EQ(dog.value.get<Dog>().name, "Rex");
  // An alternative the mapping leaves out is named by its schema name.
  EXPECT_EQ(parse<Pet>(json{{"petType", "Lizard"}}).value.index(), 2u);
  // Implicit mapping only.
  EXPECT_EQ(parse<Animal>(json{{"petType", "Dog"}, {"name", "Rex"}}).value.index(), 1u);
  EXPECT_EQ(parse<Animal>(json{{"petType", "Cat"}, {"name", "Tom"}}).value.index(), 0u);

  json owner = {{"pets", {{{"petType", "dog"}, {"name", "Rex"}, {"goodBoy", true}}, {{"petType", "Lizard"}}}},
                {"favourite", {{"petType", "Cat"}, {"name", "Tom"}}}};
  EXPECT_EQ(serialize(parse<Owner>(owner)), owner);
}

TEST(Discriminator, UnknownValueFailsAtTheDiscriminator) {
  using namespace oneof_discriminator;
  ParseError e = parseError<Pet>(json{{"petType", "fish"}, {"name", "Nemo"}});
  EXPECT_EQ(e.pointer(), "/petType");
  EXPECT_EQ(e.reason(), "not a known discriminator value");
  json owner = {{"pets", {{{"petType", "dog"}, {"name", "Rex"}}, {{"petType", "fish"}}}}};
  EXPECT_EQ(parseError<Owner>(owner).pointer(), "/pets/1/petType");
  // The mapped alternative must then read: its own errors point into it.
  EXPECT_EQ(parseError<Pet>(json{{"petType", "dog"}, {"name", 5}}).pointer(), "/name");
  // Mapping names are not schema names: "Cat" is not a value of Pet's mapping.
  EXPECT_EQ(parseError<Pet>(json{{"petType", "Cat"}, {"name", "Tom"}}).pointer(), "/petType");
}

TEST(UnionWithoutDiscriminator, ChoosesTheAlternativeThatReads) {
  using namespace oneof_plain;
  EXPECT_EQ(parse<Shape>(json{{"radius", 1.5}}).value.index(), 0u);
  EXPECT_EQ(parse<Shape>(json{{"side", 2}}).value.index(), 1u);
  ParseError neither = parseError<Shape>(json{{"radius", 1}, {"side", 2}});
  EXPECT_EQ(neither.pointer(), "");
  EXPECT_EQ(neither.reason(), "matches none of the alternatives");
  EXPECT_EQ(parse<Id>(json(5)).value.index(), 0u);
  EXPECT_EQ(parse<Id>(json("five")).value.index(), 1u);
  EXPECT_EQ(parse<Labels>(json{"a", "b"}).value.index(), 0u);
  EXPECT_EQ(parse<Labels>(json{{"a", "b"}}).value.index(), 1u);

  json drawing = {{"shapes", {{{"radius", 1}}, {{"side", 2}}}}, {"id", "d1"}, {"size", "small"}};
  auto value = parse<Drawing>(drawing);
  ASSERT_TRUE(value.size.has_value());
  EXPECT_EQ(value.size->value.get<DrawingSizeOption2>(), DrawingSizeOption2::Small);
  EXPECT_EQ(serialize(value), drawing);
  drawing["size"] = 2.5;
  EXPECT_EQ(parse<Drawing>(drawing).size->value.get<double>(), 2.5);
  drawing["size"] = "huge";
  EXPECT_EQ(parseError<Drawing>(drawing).pointer(), "/size");
}

TEST(AnyOf, ReadsTheFirstAlternativeThatMatches) {
  using namespace anyof;
  EXPECT_EQ(parse<Contact>(json{{"email", "a@example.com"}}).value.index(), 0u);
  EXPECT_EQ(parse<Contact>(json{{"phone", "+47"}}).value.index(), 1u);
  // Both match: the first wins and the other member is kept, so nothing is lost.
  json both = {{"email", "a@example.com"}, {"phone", "+47"}};
  auto contact = parse<Contact>(both);
  EXPECT_EQ(contact.value.index(), 0u);
  EXPECT_EQ(serialize(contact), both);
  EXPECT_EQ(parse<Quantity>(json(3)).value.index(), 0u);
  EXPECT_EQ(parse<Quantity>(json("3")).value.index(), 1u);
  EXPECT_EQ(parseError<Person>(json{{"contact", {{"fax", "1"}}}}).pointer(), "/contact");
}

TEST(AllOf, MergesThePartsIntoOneType) {
  json in = {{"id", "p1"}, {"created", "2024-01-01T00:00:00Z"}, {"name", "Web"}, {"budget", 10}, {"tags", {"a"}}};
  auto project = parse<allof::Project>(in);
  EXPECT_EQ(project.id, "p1");
  EXPECT_EQ(project.name, "Web");
  EXPECT_EQ(project.budget, 10);
  EXPECT_EQ(serialize(project), in);
  json noBudget = in;
  noBudget.erase("budget");
  EXPECT_EQ(parseError<allof::Project>(noBudget).reason(), "missing required member \"budget\"");
  json noId = in;
  noId.erase("id");
  EXPECT_EQ(parseError<allof::StrictProject>(noId).reason(), "missing required member \"id\"");
}

// ---- enums --------------------------------------------------------------------------------

TEST(Enums, KnownValuesReadAndWrite) {
  using namespace enums;
  EXPECT_EQ(parse<Colour>(json("green")), Colour::Green);
  EXPECT_EQ(serialize(Colour::Blue), json("blue"));
  EXPECT_STREQ(toString(Colour::Red), "red");
  json paint = {{"colour", "red"}, {"size", nullptr}, {"priority", 2}, {"mixed", true}, {"history", {"red", "blue"}}};
  auto value = parse<Paint>(paint);
  ASSERT_TRUE(value.size.has_value());
  EXPECT_TRUE(value.size->isNull());
  EXPECT_EQ(serialize(value), paint);
  paint["size"] = "large";
  EXPECT_EQ(**parse<Paint>(paint).size, Size::Large);
}

TEST(Enums, UnknownValuesAreRejectedByDefault) {
  using namespace enums;
  ParseError e = parseError<Paint>(json{{"colour", "purple"}});
  EXPECT_EQ(e.pointer(), "/colour");
  EXPECT_EQ(e.reason(), "not one of the values of Colour");
  EXPECT_EQ(parseError<Paint>(json{{"colour", "red"}, {"history", {"red", "mauve"}}}).pointer(), "/history/1");
  // null is a value of Size, not of Colour.
  EXPECT_EQ(parseError<Paint>(json{{"colour", nullptr}}).pointer(), "/colour");
}

TEST(Enums, UnknownValuesMapToUnknownWhenAsked) {
  using namespace enums;
  ReadOptions lenient;
  lenient.unknownEnums = tether::model::UnknownEnums::MapToUnknown;
  auto paint = parse<Paint>(json{{"colour", "purple"}, {"history", {"red", "mauve"}}}, lenient);
  EXPECT_EQ(paint.colour, Colour::Unknown);
  EXPECT_EQ(paint.history->at(1), Colour::Unknown);
  EXPECT_EQ(toString(Colour::Unknown), nullptr);
  // Unknown has no JSON text to write.
  EXPECT_THROW(serialize(paint), std::invalid_argument);
  // A value of the wrong JSON type is not an unknown value.
  EXPECT_EQ(parseError<Paint>(json{{"colour", 7}}, lenient).pointer(), "/colour");
}

TEST(Enums, ValuesThatNeedTheNamer) {
  using namespace enums;
  EXPECT_EQ(parse<Awkward>(json("")), Awkward::Empty);
  EXPECT_EQ(parse<Awkward>(json("in-progress")), Awkward::InProgress);
  EXPECT_EQ(parse<Awkward>(json("IN_PROGRESS")), Awkward::InProgress2);
  EXPECT_EQ(parse<Awkward>(json("class")), Awkward::Class);
  // The value "Unknown" is an ordinary value, not the enum's Unknown.
  EXPECT_EQ(parse<Awkward>(json("Unknown")), Awkward::Unknown2);
  for (const char* text : {"", "in-progress", "IN_PROGRESS", "2fa", "class", "naïve", "Unknown", "a b"}) {
    EXPECT_EQ(serialize(parse<Awkward>(json(text))), json(text)) << text;
  }
  // An enumerator named like an alias of the namespace gets "Value" (GCC's -Wshadow).
  EXPECT_EQ(parse<names::Unknown>(json("Unknown")), names::Unknown::UnknownValue);
  EXPECT_EQ(parse<names::Unknown>(json("unknown")), names::Unknown::UnknownValue2);
}

TEST(Enums, IntegerEnums) {
  using namespace enums;
  EXPECT_EQ(parse<Priority>(json(3)), Priority::N3);
  EXPECT_EQ(parse<Priority>(json(-1)), Priority::Minus1);
  EXPECT_EQ(parse<Priority>(json(2.0)), Priority::N2);  // 2.0 is the integer 2
  EXPECT_EQ(serialize(Priority::N1), json(1));
  EXPECT_EQ(serialize(Priority::Minus1), json(-1));
  EXPECT_EQ(parseError<Priority>(json(7)).reason(), "not one of the values of Priority");
  EXPECT_EQ(parseError<Priority>(json("3")).reason(), "expected an integer");
  ReadOptions lenient;
  lenient.unknownEnums = tether::model::UnknownEnums::MapToUnknown;
  EXPECT_EQ(parse<Priority>(json(7), lenient), Priority::Unknown);
  EXPECT_EQ(parseError<Paint>(json{{"colour", "red"}, {"priority", "high"}}, lenient).pointer(), "/priority");
  EXPECT_THROW(serialize(Priority::Unknown), std::invalid_argument);
}

TEST(Enums, MixedEnumsKeepTheirValues) { EXPECT_EQ(parse<enums::Mixed>(json("one")), json("one")); }

// ---- names --------------------------------------------------------------------------------

TEST(Names, MembersKeepTheirJsonNames) {
  json in = {{"namespace", "n"}, {"int", 1},       {"default", true},          {"2fa", false},
             {"café", "c"},      {"user_id", "a"}, {"userId", "b"},            {"user-id", "c"},
             {"", "empty"},      {"a/b~c", "d"},   {"\"quoted\"\\", "q"},      {"additional_properties", "e"},
             {"other", 1}};
  auto value = parse<names::Class>(in);
  EXPECT_EQ(*value.namespace_, "n");
  EXPECT_EQ(*value.int_, 1);
  EXPECT_EQ(*value.n2_fa, false);
  EXPECT_EQ(*value.caf_u233, "c");
  EXPECT_EQ(*value.user_id, "a");
  EXPECT_EQ(*value.user_id2, "b");
  EXPECT_EQ(*value.user_id3, "c");
  EXPECT_EQ(*value.unnamed, "empty");
  EXPECT_EQ(*value.quoted, "q");
  EXPECT_EQ(*value.additional_properties, "e");
  EXPECT_EQ(value.additional_properties2, json({{"other", 1}}));
  EXPECT_EQ(serialize(value), in);
  EXPECT_EQ(parseError<names::Class>(json{{"a/b~c", 1}}).pointer(), "/a~1b~0c");

  auto heading = parse<names::U220Berschrift>(json{{"größe", 3}});
  EXPECT_EQ(*heading.gr_u246_u223_e, 3);
  EXPECT_EQ(*parse<names::MyType2>(json{{"value", "v"}}).value, "v");
  EXPECT_EQ(*parse<names::Std>(json{{"string", "s"}}).string, "s");
  EXPECT_EQ(*parse<names::N404>(json{{"message", "gone"}}).message, "gone");
}

// ---- recursion ----------------------------------------------------------------------------

TEST(Recursion, ThreeLevelTreeBuildsAndRoundTrips) {
  using namespace recursion;
  TreeNode leaf;
  leaf.value = 3;
  TreeNode middle;
  middle.value = 2;
  middle.children = std::vector<TreeNode>{leaf, leaf};
  TreeNode root;
  root.value = 1;
  root.children = std::vector<TreeNode>{middle};
  json expected = {{"value", 1}, {"children", {{{"value", 2}, {"children", {{{"value", 3}}, {{"value", 3}}}}}}}};
  EXPECT_EQ(serialize(root), expected);
  EXPECT_EQ(parse<TreeNode>(expected), root);
  EXPECT_EQ(parseError<TreeNode>(json{{"value", 1}, {"children", {{{"value", 2}, {"children", {{{"value", "x"}}}}}}}})
                .pointer(),
            "/children/0/children/0/value");
}

TEST(Recursion, SelfThroughOptionalAndMap) {
  using namespace recursion;
  json list = {{"value", "a"}, {"next", {{"value", "b"}, {"next", {{"value", "c"}}}}},
               {"index", {{"k", {{"value", "d"}, {"next", {{"value", "e"}}}}}}}};
  auto head = parse<ListNode>(list);
  ASSERT_TRUE(head.next.has_value());
  ASSERT_TRUE((*head.next)->next.has_value());
  EXPECT_EQ((*(*head.next)->next)->value, "c");
  EXPECT_FALSE((*(*head.next)->next)->next.has_value());
  EXPECT_EQ(serialize(head), list);
  EXPECT_EQ(parse<ListNode>(serialize(head)), head);

  // Boxes copy deeply: changing the copy leaves the original alone.
  ListNode copy = head;
  (*copy.next)->value = "changed";
  EXPECT_EQ((*head.next)->value, "b");
  EXPECT_NE(copy, head);
  // Assigning to a moved-from Box gives it a value again.
  tether::model::Box<ListNode> a(head), b(std::move(a));
  a = b;
  EXPECT_EQ(*a, head);
}

TEST(Recursion, MutualThroughUnionArraysAndNullable) {
  using namespace recursion;
  json tree = {{"name", "root"},
               {"entries",
                {{{"name", "a.txt"}, {"size", 1}},
                 {{"name", "sub"},
                  {"entries", {{{"name", "deeper"}, {"entries", {{{"name", "b.txt"}, {"size", 2}}}}}}}}}}};
  auto root = parse<Folder>(tree);
  ASSERT_EQ(root.entries.size(), 2u);
  EXPECT_EQ(root.entries[0].value.index(), 0u);
  const Folder& sub = root.entries[1].value.get<Folder>();
  const Folder& deeper = sub.entries[0].value.get<Folder>();
  EXPECT_EQ(deeper.entries[0].value.get<File>().size, 2);
  EXPECT_EQ(serialize(root), tree);
  EXPECT_EQ(parse<Folder>(serialize(root)), root);

  json people = {{"name", "Ann"},
                 {"spouse", {{"name", "Bob"}, {"spouse", nullptr}, {"employer", {{"name", "Acme"}}}}},
                 {"employer",
                  {{"name", "Acme"},
                   {"ceo", {{"name", "Cy"}, {"spouse", nullptr}}},
                   {"subsidiaries", {{"x", {{"name", "X"}}}}}}}};
  auto ann = parse<Person>(people);
  ASSERT_FALSE(ann.spouse.isNull());
  EXPECT_EQ((*ann.spouse)->name, "Bob");
  EXPECT_TRUE((*ann.spouse)->spouse.isNull());
  EXPECT_EQ(serialize(ann), people);
  EXPECT_EQ(parse<Person>(serialize(ann)), ann);
  EXPECT_EQ(parseError<Person>(json{{"name", "Ann"}}).reason(), "missing required member \"spouse\"");

  json nested = {"a", {"b", {"c"}}, "d"};
  EXPECT_EQ(serialize(parse<Nested>(nested)), nested);
}

// ---- parse(serialize(x)) == x for every type, through the catalogs -----------------------

struct Sample {
  const char* schema;
  json value;
};
using Reserialize = std::function<bool(std::string_view, const json&, json&, std::string&)>;

void checkAll(const Reserialize& reserialize, const std::vector<Sample>& samples) {
  for (const Sample& sample : samples) {
    json out;
    std::string error;
    EXPECT_TRUE(reserialize(sample.schema, sample.value, out, error)) << sample.schema << ": " << error;
    EXPECT_EQ(out, sample.value) << sample.schema;
  }
}

TEST(Catalog, EveryTypeOfEveryFeatureSpecRoundTrips) {
  checkAll(allof::reserialize, {{"Named", {{"name", "n"}}},
                                {"Project", {{"id", "1"}, {"name", "n"}, {"budget", 1}, {"x", 1}}},
                                {"Resource", {{"id", "1"}, {"created", "t"}}},
                                {"StrictProject", {{"id", "1"}, {"name", "n"}, {"budget", 1}}}});
  checkAll(anyof::reserialize, {{"Contact", {{"phone", "1"}}},
                                {"Email", {{"email", "e"}}},
                                {"Person", {{"contact", {{"email", "e"}}}, {"quantity", "7"}}},
                                {"Phone", {{"phone", "1"}}},
                                {"Quantity", 7}});
  checkAll(enums::reserialize, {{"Awkward", "a b"},
                                {"Colour", "red"},
                                {"Mixed", 2},
                                {"Paint", {{"colour", "blue"}, {"finish", "gloss"}, {"awkward", "2fa"}}},
                                {"Paint.finish", "matt"},
                                {"Priority", 1},
                                {"Priority", -1},
                                {"Size", nullptr},
                                {"Size", "small"}});
  checkAll(maps::reserialize, {{"AnyMap", {{"a", {1, 2}}}},
                               {"Closed", {{"id", "c"}}},
                               {"Limits", {{"a", 1}}},
                               {"Open", {{"id", "o"}, {"p", {{"q", nullptr}}}}},
                               {"Registry", {{"typed", {{"t", "u"}}}, {"any", json::object()}}},
                               {"Typed", {{"t", "u"}}}});
  checkAll(names::reserialize, {{"404", {{"message", "m"}}},
                                {"MyType", {{"value", "v"}}},
                                {"Unknown", "Unknown"},
                                {"class", {{"class", 1}, {"int", 2}}},
                                {"my-type", "t"},
                                {"std", {{"vector", 1}}},
                                {"Überschrift", {{"größe", 1}}}});
  checkAll(nullable_30::reserialize, {{"Address", {{"city", "c"}}},
                                      {"Record", {{"requiredPlain", "a"}, {"requiredNullable", nullptr}, {"requiredNullableRef", nullptr}}},
                                      {"Record.nullableEnum", nullptr},
                                      {"Record.nullableEnum", "a"},
                                      {"Record.optionalNullableRef", {{"city", "c"}}},
                                      {"Record.requiredNullableRef", nullptr}});
  checkAll(nullable_31::reserialize, {{"Address", {{"city", "c"}}},
                                      {"Holder", {{"name", "n"}}},
                                      {"MaybeName", nullptr},
                                      {"MaybeName", "m"},
                                      {"Record", {{"requiredPlain", "a"}, {"requiredNullable", "b"}, {"requiredNullableRef", nullptr}}}});
  checkAll(oneof_discriminator::reserialize, {{"Animal", {{"petType", "Cat"}, {"name", "c"}}},
                                              {"Cat", {{"petType", "cat"}, {"name", "c"}, {"lives", 3}}},
                                              {"Dog", {{"petType", "dog"}, {"name", "d"}}},
                                              {"Lizard", {{"petType", "Lizard"}, {"scales", 0.5}}},
                                              {"Owner", {{"pets", json::array()}}},
                                              {"Pet", {{"petType", "kitten"}, {"name", "k"}}}});
  checkAll(oneof_plain::reserialize, {{"Circle", {{"radius", 1}}},
                                      {"Drawing", {{"shapes", {{{"side", 1}}}}, {"labels", {{"k", "v"}}}}},
                                      {"Drawing.size", 1.25},
                                      {"Drawing.size.option2", "large"},
                                      {"Id", "x"},
                                      {"Labels", {"x"}},
                                      {"Shape", {{"side", 2}}},
                                      {"Square", {{"side", 2}}}});
  checkAll(recursion::reserialize, {{"Company", {{"name", "c"}, {"ceo", {{"name", "p"}, {"spouse", nullptr}}}}},
                                    {"Entry", {{"name", "f"}, {"size", 1}}},
                                    {"File", {{"name", "f"}, {"size", 1}}},
                                    {"Folder", {{"name", "d"}, {"entries", json::array()}, {"parent", {{"name", "p"}, {"entries", json::array()}}}}},
                                    {"ListNode", {{"value", "v"}, {"next", {{"value", "w"}}}}},
                                    {"Nested", {"a", {"b"}}},
                                    {"Nested.item", {"b"}},
                                    {"Person", {{"name", "p"}, {"spouse", nullptr}}},
                                    {"TreeNode", {{"value", 1}, {"children", {{{"value", 2}}}}}}});
}

TEST(Catalog, UnknownNamesAndInvalidValuesAreReported) {
  json out;
  std::string error;
  EXPECT_FALSE(recursion::reserialize("NoSuchType", json::object(), out, error));
  EXPECT_EQ(error, "no type named NoSuchType");
  EXPECT_FALSE(recursion::reserialize("TreeNode", json{{"value", "x"}}, out, error));
  EXPECT_EQ(error, "expected an integer, got a string at /value");
}

}  // namespace
