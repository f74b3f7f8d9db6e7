#include <gtest/gtest.h>

#include "tether/naming/namer.h"

namespace tether::naming {
namespace {

TEST(Namer, CaseConversions) {
  EXPECT_EQ(identifier("list-pets", Case::Camel), "listPets");
  EXPECT_EQ(identifier("HTTPServerError", Case::Pascal), "HttpServerError");
  EXPECT_EQ(identifier("userId", Case::Snake), "user_id");
  EXPECT_EQ(identifier("X-Request-Id", Case::Snake), "x_request_id");
  EXPECT_EQ(identifier("pet.owner", Case::Pascal), "PetOwner");
  EXPECT_EQ(identifier("base64", Case::Snake), "base64");
  EXPECT_EQ(identifier("active", Case::Constant), "kActive");
}

TEST(Namer, KeywordsGetATrailingUnderscore) {
  EXPECT_EQ(identifier("class", Case::Snake), "class_");
  EXPECT_EQ(identifier("delete", Case::Camel), "delete_");
  EXPECT_EQ(identifier("namespace", Case::Snake), "namespace_");
  EXPECT_EQ(identifier("errno", Case::Snake), "errno_");
}

TEST(Namer, LeadingDigitsEmptyAndSymbols) {
  EXPECT_EQ(identifier("200", Case::Snake), "n200");
  EXPECT_EQ(identifier("2fa-code", Case::Pascal), "N2FaCode");
  EXPECT_EQ(identifier("", Case::Pascal), "Unnamed");
  EXPECT_EQ(identifier("$$$", Case::Snake), "unnamed");
  EXPECT_EQ(identifier("@type", Case::Snake), "type");
}

TEST(Namer, NonAsciiIsSpelledOutSoNamesStayDistinct) {
  std::string cafe = identifier("café", Case::Snake);
  EXPECT_EQ(cafe, "caf_u233");
  EXPECT_NE(identifier("naïve", Case::Snake), identifier("naive", Case::Snake));
  for (char c : identifier("日本", Case::Pascal)) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  }
}

TEST(Namer, CollisionsAfterConversionAreSuffixedInOrder) {
  Scope scope;
  EXPECT_EQ(scope.claim("user_id", Case::Snake), "user_id");
  EXPECT_EQ(scope.claim("userId", Case::Snake), "user_id2");
  EXPECT_EQ(scope.claim("UserID", Case::Snake), "user_id3");
  Scope again;
  EXPECT_EQ(again.claim("user_id", Case::Snake), "user_id") << "stable: same input, same names";
  EXPECT_EQ(again.claim("userId", Case::Snake), "user_id2");
}

TEST(Namer, ReservedNamesOfAScopeAreAvoided) {
  Scope scope({"to_json", "from_json"});
  EXPECT_EQ(scope.claim("to-json", Case::Snake), "to_json2");
}

}  // namespace
}  // namespace tether::naming
