#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "test_util.h"
#include "tether/ir/builder.h"

namespace tether::ir {
namespace {

class MultiFileIr : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = load::loadSpec(tether::testing::fixture("multi/openapi.yaml"));
    ASSERT_FALSE(spec_.diagnostics.hasErrors()) << tether::testing::allDiagnostics(spec_);
    api_ = build(spec_);
  }
  const Type& named(const std::string& name) {
    auto it = std::find_if(api_.types.begin(), api_.types.end(),
                           [&](const Type& t) { return t.named && t.name == name; });
    EXPECT_NE(it, api_.types.end()) << name;
    return *it;
  }
  const Field& field(const Type& type, const std::string& name) {
    auto it = std::find_if(type.fields.begin(), type.fields.end(), [&](const Field& f) { return f.jsonName == name; });
    EXPECT_NE(it, type.fields.end()) << name;
    return *it;
  }
  const Operation& op(const std::string& id) {
    const Operation* found = api_.findOperation(id);
    EXPECT_NE(found, nullptr) << id;
    return *found;
  }
  load::LoadedSpec spec_;
  Api api_;
};

TEST_F(MultiFileIr, ObjectFieldsRequiredOptionalNullableAndDirections) {
  const Type& pet = named("Pet");
  EXPECT_EQ(pet.kind, TypeKind::Object);
  EXPECT_EQ(pet.cppName, "Pet");
  EXPECT_EQ(pet.description, "A pet in the store.");
  ASSERT_EQ(pet.fields.size(), 7u);
  EXPECT_EQ(pet.fields[0].jsonName, "id") << "fields keep the spec's order";
  EXPECT_TRUE(field(pet, "id").required);
  EXPECT_TRUE(field(pet, "id").readOnly);
  EXPECT_EQ(field(pet, "id").description, "Identifier, assigned by the server.");
  EXPECT_TRUE(field(pet, "secret_note").writeOnly);
  EXPECT_FALSE(field(pet, "owner").required);
  EXPECT_TRUE(field(pet, "owner").nullable) << "oneOf [Owner, null] is a nullable Owner";
  EXPECT_EQ(api_.type(field(pet, "owner").type).name, "owner");
}

TEST_F(MultiFileIr, EnumsMapsArraysAndRecursion) {
  const Type& pet = named("Pet");
  const Type& kind = api_.type(field(pet, "kind").type);
  EXPECT_EQ(kind.kind, TypeKind::Enum);
  EXPECT_EQ(kind.name, "Kind");
  EXPECT_EQ(kind.enumValues.size(), 3u);
  const Type& tags = api_.type(field(pet, "tags").type);
  EXPECT_EQ(tags.kind, TypeKind::Map);
  EXPECT_EQ(api_.type(tags.extraType).kind, TypeKind::String);
  EXPECT_EQ(field(pet, "parent").type, pet.id) << "$ref '#' is the schema itself";
  EXPECT_TRUE(pet.recursive);
  const Type& owner = named("owner");
  const Type& pets = api_.type(field(owner, "pets").type);
  EXPECT_EQ(pets.kind, TypeKind::Array);
  EXPECT_EQ(pets.items, pet.id);
  EXPECT_TRUE(owner.recursive) << "owner -> pets -> Pet -> owner";
}

TEST_F(MultiFileIr, NormalizedSchemasPointAtComponentNames) {
  const Type& pet = named("Pet");
  EXPECT_EQ(pet.schema["properties"]["owner"]["oneOf"][0]["$ref"], "#/components/schemas/owner");
  EXPECT_EQ(pet.schema["properties"]["kind"]["$ref"], "#/components/schemas/Kind");
  EXPECT_EQ(pet.schema["properties"]["parent"]["$ref"], "#/components/schemas/Pet");
}

TEST_F(MultiFileIr, OperationsParametersAndStyles) {
  ASSERT_EQ(api_.operations.size(), 4u);
  const Operation& list = op("listPets");
  EXPECT_EQ(list.method, "get");
  EXPECT_EQ(list.path, "/pets");
  ASSERT_EQ(list.parameters.size(), 2u);
  EXPECT_EQ(list.parameters[0].style, "form");
  EXPECT_TRUE(list.parameters[0].explode) << "form explodes by default";
  EXPECT_EQ(list.parameters[1].style, "pipeDelimited");
  EXPECT_FALSE(list.parameters[1].explode);
  const Operation& remove = op("deletePet");
  ASSERT_EQ(remove.parameters.size(), 1u) << "path-item parameters are inherited";
  EXPECT_EQ(remove.parameters[0].in, ParameterLocation::Path);
  EXPECT_TRUE(remove.parameters[0].required);
  EXPECT_EQ(remove.parameters[0].style, "simple");
}

TEST_F(MultiFileIr, ResponsesRangesDefaultHeadersAndLinks) {
  const Operation& list = op("listPets");
  ASSERT_EQ(list.responses.size(), 3u);
  EXPECT_EQ(list.responses[0].status, "200");
  EXPECT_EQ(list.responses[1].status, "4XX");
  EXPECT_EQ(list.responses[2].status, "default");
  ASSERT_EQ(list.responses[0].headers.size(), 1u);
  EXPECT_TRUE(list.responses[0].headers[0].required);
  EXPECT_EQ(list.responses[0].headers[0].cppName, "x_request_id");
  EXPECT_EQ(list.responses[1].contents[0].mediaType, "application/problem+json");
  const Type& page = api_.type(list.responses[0].contents[0].type);
  EXPECT_EQ(page.cppName, "ListPets200");
  EXPECT_TRUE(field(page, "next_cursor").nullable);
  const Operation& create = op("createPet");
  ASSERT_EQ(create.responses[0].links.size(), 1u);
  EXPECT_EQ(create.responses[0].links[0].operationId, "getPet");
  EXPECT_EQ(create.responses[0].links[0].parameters[0].second, "$response.body#/id");
  ASSERT_TRUE(create.requestBody.has_value());
  EXPECT_TRUE(create.requestBody->required);
  EXPECT_EQ(create.requestBody->contents[0].type, named("Pet").id);
}

TEST_F(MultiFileIr, SecurityCallbacksAndWebhooks) {
  EXPECT_EQ(op("listPets").effectiveSecurity[0].schemes[0].second, std::vector<std::string>{"pets:read"});
  EXPECT_FALSE(op("listPets").security.has_value());
  EXPECT_EQ(op("createPet").effectiveSecurity[0].schemes[0].second, std::vector<std::string>{"pets:write"});
  ASSERT_EQ(op("createPet").callbacks.size(), 1u);
  const Callback& callback = op("createPet").callbacks[0];
  EXPECT_EQ(callback.expression, "{$request.body#/callback_url}");
  ASSERT_EQ(callback.operations.size(), 1u);
  EXPECT_EQ(callback.operations[0].method, "post");
  ASSERT_EQ(api_.webhooks.size(), 1u);
  EXPECT_EQ(api_.webhooks[0].name, "petAdopted");
  EXPECT_EQ(api_.webhooks[0].operations[0].operationId, "onPetAdopted");
  ASSERT_EQ(api_.securitySchemes.size(), 1u);
  EXPECT_EQ(api_.securitySchemes[0].flows.at("clientCredentials").size(), 2u);
}

TEST_F(MultiFileIr, IrJsonDumpIsStable) {
  Json first = toJson(api_);
  Json second = toJson(build(spec_));
  EXPECT_EQ(first.dump(), second.dump());
  EXPECT_EQ(first["operations"].size(), 4u);
}

// Components operations refer to with $ref become entities of the IR, built once and
// named after the component; the operations keep the resolved data and say which one.
TEST(ComponentsIr, SharedParametersResponsesHeadersAndBodies) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / "tether_ir_components.yaml";
  std::ofstream(file) << R"(openapi: 3.1.0
info: {title: c, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - $ref: "#/components/parameters/RequestId"
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {$ref: "#/components/headers/Rate"}
          content: {application/json: {schema: {type: string}}}
        "404": {$ref: "#/components/responses/NotFound"}
    post:
      operationId: postA
      parameters: [{$ref: "#/components/parameters/RequestId"}]
      requestBody: {$ref: "#/components/requestBodies/Note"}
      responses:
        "404": {$ref: "#/components/responses/NotFound"}
        default: {$ref: "#/components/responses/NotFound"}
components:
  parameters:
    RequestId: {name: X-Request-Id, in: header, schema: {type: string, maxLength: 64}}
  headers:
    Rate: {schema: {type: integer}}
  responses:
    NotFound:
      description: not found
      content: {application/problem+json: {schema: {type: object, properties: {title: {type: string}}}}}
  requestBodies:
    Note:
      required: true
      content: {application/json: {schema: {type: object, properties: {text: {type: string}}}}}
)";
  load::LoadedSpec spec = load::loadSpec(file);
  ASSERT_FALSE(spec.diagnostics.hasErrors()) << tether::testing::allDiagnostics(spec);
  Api api = build(spec);
  ASSERT_EQ(api.parameters.size(), 1u);
  EXPECT_EQ(api.parameters[0].name, "RequestId");
  EXPECT_EQ(api.parameters[0].cppName, "RequestId");
  EXPECT_EQ(api.type(api.parameters[0].value.type).cppName, "RequestId")
      << "the shared schema is named after the component, not the first operation";
  ASSERT_EQ(api.responses.size(), 1u);
  EXPECT_EQ(api.responses[0].cppName, "NotFound");
  EXPECT_TRUE(api.responses[0].value.status.empty());
  ASSERT_EQ(api.headers.size(), 1u);
  EXPECT_EQ(api.headers[0].name, "Rate");
  ASSERT_EQ(api.requestBodies.size(), 1u);
  EXPECT_EQ(api.requestBodies[0].cppName, "Note");

  const Operation& getA = *api.findOperation("getA");
  ASSERT_EQ(getA.parameters.size(), 2u);
  EXPECT_EQ(getA.parameters[0].component, 0);
  EXPECT_EQ(getA.parameters[0].name, "X-Request-Id") << "the resolved data stays on the operation";
  EXPECT_EQ(getA.parameters[0].cppName, "x_request_id");
  EXPECT_EQ(getA.parameters[1].component, -1);
  EXPECT_EQ(getA.responses[0].component, -1);
  EXPECT_EQ(getA.responses[0].headers[0].component, 0);
  EXPECT_EQ(getA.responses[0].headers[0].name, "X-Rate");
  EXPECT_EQ(getA.responses[1].component, 0);
  EXPECT_EQ(getA.responses[1].status, "404");
  EXPECT_EQ(getA.responses[1].description, "not found");
  const Operation& postA = *api.findOperation("postA");
  EXPECT_EQ(postA.parameters[0].type, getA.parameters[0].type);
  ASSERT_TRUE(postA.requestBody.has_value());
  EXPECT_EQ(postA.requestBody->component, 0);
  EXPECT_TRUE(postA.requestBody->required);
  EXPECT_EQ(postA.responses[1].status, "default");
  EXPECT_EQ(postA.responses[1].component, 0);

  Json json = toJson(api);
  EXPECT_EQ(json["components"]["responses"][0]["name"], "NotFound");
  EXPECT_EQ(json["components"]["parameters"][0]["paramName"], "X-Request-Id");
  EXPECT_EQ(json["operations"][0]["responses"]["404"]["component"], 0);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace tether::ir
