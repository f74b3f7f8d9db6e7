// The IR as JSON: a faithful dump, used by `generate --ir` and by golden tests.
#include "tether/ir/builder.h"

namespace tether::ir {

namespace {

Json origin(const Origin& o) { return Json{{"file", o.file}, {"line", o.line}, {"pointer", o.pointer}}; }

Json typeJson(const Type& t) {
  Json out{{"id", t.id}, {"kind", toString(t.kind)}, {"name", t.name}, {"cppName", t.cppName}};
  if (t.named) out["named"] = true;
  if (!t.title.empty()) out["title"] = t.title;
  if (!t.description.empty()) out["description"] = t.description;
  if (!t.format.empty()) out["format"] = t.format;
  for (auto [flag, key] : {std::pair{t.nullable, "nullable"}, {t.readOnly, "readOnly"},
                           {t.writeOnly, "writeOnly"}, {t.deprecated, "deprecated"},
                           {t.recursive, "recursive"}}) {
    if (flag) out[key] = true;
  }
  if (t.kind == TypeKind::Object) {
    Json fields = Json::array();
    for (const Field& f : t.fields) {
      Json field{{"json", f.jsonName}, {"cpp", f.cppName}, {"type", f.type}, {"required", f.required}};
      if (f.nullable) field["nullable"] = true;
      if (f.readOnly) field["readOnly"] = true;
      if (f.writeOnly) field["writeOnly"] = true;
      if (f.deprecated) field["deprecated"] = true;
      if (!f.description.empty()) field["description"] = f.description;
      if (f.defaultValue) field["default"] = *f.defaultValue;
      fields.push_back(std::move(field));
    }
    out["fields"] = std::move(fields);
  }
  if (t.kind == TypeKind::Object || t.kind == TypeKind::Map) {
    out["extra"] = t.extra == ExtraProperties::Allowed ? "allowed"
                   : t.extra == ExtraProperties::Forbidden ? "forbidden" : "typed";
    if (t.extraType != kNoType) out["extraType"] = t.extraType;
  }
  if (t.kind == TypeKind::Array) out["items"] = t.items;
  if (t.kind == TypeKind::Enum) {
    out["enumBase"] = toString(t.enumBase);
    out["values"] = t.enumValues;
  }
  if (t.kind == TypeKind::OneOf || t.kind == TypeKind::AnyOf) {
    out["variants"] = t.variants;
    if (t.discriminator) {
      Json mapping = Json::object();
      for (const auto& [value, id] : t.discriminator->mapping) mapping[value] = id;
      out["discriminator"] = Json{{"propertyName", t.discriminator->propertyName}, {"mapping", mapping}};
    }
  }
  out["schema"] = t.schema;
  out["origin"] = origin(t.origin);
  return out;
}

Json mediaJson(const std::vector<MediaType>& contents) {
  Json out = Json::object();
  for (const MediaType& m : contents) {
    Json media{{"type", m.type}};
    if (!m.examples.empty()) media["examples"] = m.examples;
    if (!m.encoding.empty()) {
      Json encoding = Json::object();
      for (const auto& [name, e] : m.encoding) {
        encoding[name] = Json{{"contentType", e.contentType}, {"style", e.style}, {"allowReserved", e.allowReserved}};
        if (e.explode) encoding[name]["explode"] = *e.explode;
      }
      media["encoding"] = encoding;
    }
    out[m.mediaType] = std::move(media);
  }
  return out;
}

Json securityJson(const std::vector<SecurityRequirement>& requirements) {
  Json out = Json::array();
  for (const SecurityRequirement& r : requirements) {
    Json item = Json::object();
    for (const auto& [scheme, scopes] : r.schemes) item[scheme] = scopes;
    out.push_back(std::move(item));
  }
  return out;
}

Json headerJson(const Header& h) {
  Json out{{"cppName", h.cppName}, {"required", h.required}, {"type", h.type}};
  if (h.component >= 0) out["component"] = h.component;
  return out;
}

Json requestBodyJson(const RequestBody& body) {
  Json out{{"required", body.required}, {"content", mediaJson(body.contents)}};
  if (body.component >= 0) out["component"] = body.component;
  return out;
}

Json responseJson(const Response& r) {
  Json response{{"description", r.description}};
  if (r.component >= 0) response["component"] = r.component;
  Json headers = Json::object();
  for (const Header& h : r.headers) headers[h.name] = headerJson(h);
  if (!headers.empty()) response["headers"] = std::move(headers);
  if (!r.contents.empty()) response["content"] = mediaJson(r.contents);
  if (!r.links.empty()) {
    Json links = Json::object();
    for (const Link& l : r.links) {
      Json link{{"operationId", l.operationId}};
      Json parameters = Json::object();
      for (const auto& [name, value] : l.parameters) parameters[name] = value;
      link["parameters"] = std::move(parameters);
      if (l.requestBody) link["requestBody"] = *l.requestBody;
      links[l.name] = std::move(link);
    }
    response["links"] = std::move(links);
  }
  return response;
}

// The components operations refer to, as {name, cppName, ...the value}; only sections
// that have some, so an IR without components looks as it did.
template <class T, class ToJson>
void componentsJson(Json& out, const char* key, const std::vector<Component<T>>& list, ToJson toJson) {
  if (list.empty()) return;
  Json items = Json::array();
  for (const Component<T>& c : list) {
    Json item{{"name", c.name}, {"cppName", c.cppName}};
    item.update(toJson(c.value));
    items.push_back(std::move(item));
  }
  out[key] = std::move(items);
}

Json operationJson(const Operation& op) {
  Json out{{"operationId", op.operationId}, {"cppName", op.cppName}, {"method", op.method},
           {"path", op.path}, {"tags", op.tags}};
  if (op.operationIdSynthesized) out["operationIdSynthesized"] = true;
  if (!op.summary.empty()) out["summary"] = op.summary;
  if (op.deprecated) out["deprecated"] = true;
  Json params = Json::array();
  for (const Parameter& p : op.parameters) {
    Json param{{"name", p.name}, {"cppName", p.cppName}, {"in", toString(p.in)}, {"required", p.required},
               {"style", p.style}, {"explode", p.explode}, {"type", p.type}};
    if (p.allowReserved) param["allowReserved"] = true;
    if (!p.mediaType.empty()) param["mediaType"] = p.mediaType;
    if (p.component >= 0) param["component"] = p.component;
    params.push_back(std::move(param));
  }
  out["parameters"] = std::move(params);
  if (op.requestBody) {
    out["requestBody"] = requestBodyJson(*op.requestBody);
  }
  Json responses = Json::object();
  for (const Response& r : op.responses) responses[r.status] = responseJson(r);
  out["responses"] = std::move(responses);
  if (op.security) out["security"] = securityJson(*op.security);
  out["effectiveSecurity"] = securityJson(op.effectiveSecurity);
  if (!op.callbacks.empty()) {
    Json callbacks = Json::array();
    for (const Callback& c : op.callbacks) {
      Json ops = Json::array();
      for (const Operation& inner : c.operations) ops.push_back(operationJson(inner));
      callbacks.push_back(Json{{"name", c.name}, {"expression", c.expression}, {"operations", ops}});
    }
    out["callbacks"] = std::move(callbacks);
  }
  out["origin"] = origin(op.origin);
  return out;
}

}  // namespace

Json toJson(const Api& api) {
  Json out{{"sourceVersion", api.sourceVersion}, {"title", api.title}, {"version", api.version}};
  Json servers = Json::array();
  for (const Server& s : api.servers) servers.push_back(Json{{"url", s.url}, {"description", s.description}});
  out["servers"] = std::move(servers);
  Json tags = Json::array();
  for (const Tag& t : api.tags) tags.push_back(Json{{"name", t.name}, {"cppName", t.cppName}});
  out["tags"] = std::move(tags);
  Json schemes = Json::object();
  for (const SecurityScheme& s : api.securitySchemes) {
    Json scheme{{"type", s.type}};
    if (!s.scheme.empty()) scheme["scheme"] = s.scheme;
    if (!s.in.empty()) scheme["in"] = s.in;
    if (!s.parameterName.empty()) scheme["name"] = s.parameterName;
    if (!s.flows.empty()) scheme["flows"] = s.flows;
    schemes[s.name] = std::move(scheme);
  }
  out["securitySchemes"] = std::move(schemes);
  out["security"] = securityJson(api.security);
  Json operations = Json::array();
  for (const Operation& op : api.operations) operations.push_back(operationJson(op));
  out["operations"] = std::move(operations);
  Json webhooks = Json::array();
  for (const Webhook& w : api.webhooks) {
    Json ops = Json::array();
    for (const Operation& op : w.operations) ops.push_back(operationJson(op));
    webhooks.push_back(Json{{"name", w.name}, {"operations", ops}});
  }
  out["webhooks"] = std::move(webhooks);
  Json components = Json::object();
  componentsJson(components, "responses", api.responses, responseJson);
  componentsJson(components, "parameters", api.parameters, [](const Parameter& p) {
    return Json{{"in", toString(p.in)}, {"paramName", p.name}, {"type", p.type}};
  });
  componentsJson(components, "headers", api.headers, [](const Header& h) { return headerJson(h); });
  componentsJson(components, "requestBodies", api.requestBodies, requestBodyJson);
  if (!components.empty()) out["components"] = std::move(components);
  Json types = Json::array();
  for (const Type& t : api.types) types.push_back(typeJson(t));
  out["types"] = std::move(types);
  return out;
}

}  // namespace tether::ir
