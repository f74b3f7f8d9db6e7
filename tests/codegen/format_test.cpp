// Generated validators carry the spec's formats, asserted or not per evaluation
// (EvaluateOptions::assert_formats, issue 19): one generated build serves a server that
// asserts the formats of its requests (the default) and one configured not to. The
// validators of specs/formats.yaml are generated at build time and compiled here.
#include <gtest/gtest.h>

#include <string>

#include "formats/validators.h"

namespace {

using nlohmann::json;
using tether::schema::EvaluateOptions;
using tether::schema::Result;
namespace validators = formats::validators;

// Basic output lists the failing keyword and the applicators above it.
bool hasError(const Result& result, const std::string& pointer, const std::string& message) {
  for (const tether::schema::OutputUnit& unit : result.errors)
    if (unit.instance_location == pointer && unit.error == message) return true;
  return false;
}

EvaluateOptions withoutFormats() {
  EvaluateOptions options;
  options.assert_formats = false;
  return options;
}

TEST(GeneratedFormats, AMemberThatBreaksItsFormatFailsNamingIt) {
  const json bad = {{"email", "not-an-email"}};
  EXPECT_FALSE(validators::validate_Invitation(bad));
  Result result;
  validators::evaluate_Invitation(bad, result);
  ASSERT_FALSE(result.valid);
  EXPECT_TRUE(hasError(result, "/email", "string is not a valid \"email\"")) << result.toBasicOutput().dump();
  EXPECT_TRUE(validators::validate_Invitation({{"email", "dev@example.com"}, {"homepage", "https://example.com/"}}));
  EXPECT_FALSE(validators::validate_Invitation({{"email", "dev@example.com"}, {"homepage", "not a uri"}}));
}

TEST(GeneratedFormats, SwitchedOffAFormatIsAnAnnotation) {
  const json bad = {{"email", "not-an-email"}, {"homepage", "not a uri"}};
  EXPECT_TRUE(validators::validate_Invitation(bad, withoutFormats()));
  Result result;
  validators::evaluate_Invitation(bad, result, withoutFormats());
  EXPECT_TRUE(result.valid);
}

TEST(GeneratedFormats, SwitchedOffTheOtherKeywordsStillHold) {
  EXPECT_FALSE(validators::validate_Invitation({{"email", std::string(255, 'a')}}, withoutFormats()));
  EXPECT_FALSE(validators::validate_Invitation({{"email", 1}}, withoutFormats()));
  EXPECT_FALSE(validators::validate_Invitation(json::object(), withoutFormats()));
}

// A validator whose whole schema is a string with a format (a parameter's): its entry runs
// in the runtime evaluator, not in a generated function, and follows the switch all the same.
TEST(GeneratedFormats, AParameterOfAFormatFollowsTheSwitch) {
  EXPECT_TRUE(validators::validate_InviteIdempotencyKey("5f0c8a4e-3b7d-4f7e-9a51-2c6d8e1b7f03"));
  EXPECT_FALSE(validators::validate_InviteIdempotencyKey("not-a-uuid"));
  EXPECT_TRUE(validators::validate_InviteIdempotencyKey("not-a-uuid", withoutFormats()));
  Result result;
  validators::evaluate_InviteIdempotencyKey("not-a-uuid", result);
  EXPECT_TRUE(hasError(result, "", "string is not a valid \"uuid\"")) << result.toBasicOutput().dump();
}

}  // namespace
