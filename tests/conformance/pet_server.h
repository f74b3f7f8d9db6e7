// A tiny server implementing fixtures/pets.yaml on 127.0.0.1 (ephemeral port), with
// switchable faults that break the contract one way each.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace tether::conformance::testing {

enum class Fault {
  None,
  WrongStatus,         // GET /pets/{id} answers 404 for a pet that exists
  MissingField,        // pets lack the required "name"
  WrongType,           // pet ids are strings
  UndocumentedStatus,  // GET /pets answers 202
  WrongContentType,    // GET /pets answers text/plain
  MissingHeader,       // GET /pets lacks X-Request-Id
  AuthIgnored,         // no credential check
  NoAllow,             // 405 without Allow
  ServerError,         // GET /health answers 500
  NoProblemJson,       // error bodies are application/json
  AcceptsInvalid,      // POST /pets accepts any body
  RateLimitOnce,       // the first request of each kind answers 429 with Retry-After: 0
  ForeignTenantVisible,  // pets and toys of one tenant are readable and deletable by the other
  DeletedStillReadable,  // DELETE answers 204 but the resource stays readable
  BrokenLink,            // POST /pets answers an id that is not the new pet's (links lead nowhere)
  RejectsBoundary,       // POST /pets rejects a name of exactly maxLength (50) characters
};

const char* toString(Fault fault);

class PetServer {
 public:
  static constexpr const char* kToken = "good-token";
  // A second tenant: sees none of the first tenant's pets and toys.
  static constexpr const char* kToken2 = "other-token";
  explicit PetServer(Fault fault = Fault::None);
  ~PetServer();  // stops the server and joins its thread
  PetServer(const PetServer&) = delete;
  PetServer& operator=(const PetServer&) = delete;

  std::string baseUrl() const;
  int unsafeRequests() const;  // POST/PUT/PATCH/DELETE received
  int requests() const;
  std::size_t resources() const;  // pets and toys that exist (not deleted)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tether::conformance::testing
