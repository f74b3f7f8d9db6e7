// Test-only fault injection (`--fault NAME`, TETHER_SANDBOX_FAULT): each fault breaks the
// Cloud API's contract in one way, so the conformance runner's mutation test
// (tests/sandbox/mutation_test.sh) can prove that it notices every kind of breach and names
// it with the right check. Nothing is injected unless a fault is named; the sandbox prints a
// warning at start when one is.
//
// The fault is process-wide (set once at start, read everywhere) rather than threaded
// through every call: the document store consults it in three places, and a fault is never
// meant to be switched while requests run.
#pragma once

#include <string>
#include <vector>

#include "tether/http/router.h"

namespace tether::sandbox {

enum class Fault {
  None,
  WrongStatus,           // getProject answers a documented but wrong status (404 for a project that exists)
  MissingField,          // Project bodies lose the required `name`
  WrongType,             // getProject's `name` is a number
  UndocumentedStatus,    // getProject answers 203
  WrongContentType,      // getProject's JSON body is labelled text/plain
  MissingHeader,         // creates answer 201 without the required Location header
  AuthIgnored,           // requests without credentials are served as the admin key
  ForeignTenantVisible,  // reading a document by id ignores its workspace
  PageSkipped,           // every page after the first drops its first item
  IdempotencyIgnored,    // Idempotency-Key is dropped before the replay layer sees it
  DeletedReadable,       // deleting a document answers success and keeps it
  ServerError,           // getProject answers 500
};

// "wrong-status" → Fault::WrongStatus; throws std::invalid_argument listing the names.
Fault parseFault(const std::string& name);
std::vector<std::string> faultNames();

void setFault(Fault fault);
bool faulty(Fault fault);

// Wraps an operation's handler with the response-level faults that apply to it (status,
// body, content type and header faults); returns the handler unchanged when none does.
http::Handler withFault(const http::OperationInfo& operation, http::Handler handler);

}  // namespace tether::sandbox
