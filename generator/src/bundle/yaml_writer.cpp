// Block-style YAML for the bundle. Strings that a YAML reader would take for something
// else (true, 1.0, null, 0x1F, "200" as a key) are quoted.
#include <yaml-cpp/emitter.h>

#include "tether/bundle/bundler.h"
#include "tether/doc/readers.h"

namespace tether::bundle {

namespace {

using Json = nlohmann::ordered_json;

bool needsQuotes(const std::string& text) {
  if (text.empty()) return true;
  tether::doc::Arena arena;
  tether::doc::ReadResult result = tether::doc::readYaml(text, 0, arena);
  return result.error || result.root == nullptr || !result.root->isString() || result.root->text != text;
}

void emitString(YAML::Emitter& out, const std::string& text) {
  if (text.find('\n') != std::string::npos) {
    out << YAML::Literal << text;
  } else if (needsQuotes(text)) {
    out << YAML::DoubleQuoted << text;
  } else {
    out << text;
  }
}

void emitValue(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        emitString(out, key);
        out << YAML::Value;
        emitValue(out, item);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const Json& item : value) emitValue(out, item);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string:
      emitString(out, value.get<std::string>());
      return;
    case Json::value_t::null:
      out << YAML::Null;
      return;
    default:
      out << value.dump();  // numbers and booleans print the same in both syntaxes
      return;
  }
}

}  // namespace

std::string toYamlText(const Json& document) {
  YAML::Emitter out;
  out.SetIndent(2);
  emitValue(out, document);
  return std::string(out.c_str()) + "\n";
}

}  // namespace tether::bundle
