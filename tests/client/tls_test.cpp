// TLS: verification is on by default (a self-signed server is refused and not retried),
// a caller-supplied CA bundle makes that server trusted, and verifyTls=false skips checks.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>

#include "test_server.h"
#include "tether/client/transport.h"

namespace tether::client {
namespace {

using testing::SleepLog;
using testing::TestServer;

// A throw-away self-signed certificate for 127.0.0.1, written as PEM files.
class SelfSigned {
 public:
  SelfSigned() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("tether-client-tls-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    addExtension(cert, NID_subject_alt_name, "IP:127.0.0.1");
    addExtension(cert, NID_basic_constraints, "critical,CA:TRUE");
    X509_sign(cert, key, EVP_sha256());
    writePem(certPath(), [&](FILE* f) { return PEM_write_X509(f, cert); });
    writePem(keyPath(), [&](FILE* f) { return PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr); });
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~SelfSigned() { std::filesystem::remove_all(dir_); }

  std::string certPath() const { return (dir_ / "cert.pem").string(); }
  std::string keyPath() const { return (dir_ / "key.pem").string(); }

 private:
  static void addExtension(X509* cert, int nid, const char* value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }
  template <class Write>
  static void writePem(const std::string& path, Write write) {
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(write(f), 1);
    std::fclose(f);
  }
  std::filesystem::path dir_;
};

class Tls : public ::testing::Test {
 protected:
  SelfSigned cert_;
  TestServer server_{[](httplib::Server& s, TestServer& t) { s.Get("/v1/ping", t.answer(200, "{}")); },
                     std::make_unique<httplib::SSLServer>(cert_.certPath().c_str(), cert_.keyPath().c_str()),
                     /*tls=*/true};
  SleepLog sleeps_;

  ClientOptions options() {
    ClientOptions options;
    options.baseUrl = server_.url() + "/v1";
    options.sleep = sleeps_.hook();
    return options;
  }
};

TEST_F(Tls, AnUntrustedCertificateIsRefusedAndNotRetried) {
  Transport transport(options());
  try {
    transport.send({.method = "GET", .path = "/ping"});
    FAIL() << "no TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.attempts(), 1) << error.what();
  }
  EXPECT_TRUE(server_.seen().empty());
  EXPECT_TRUE(sleeps_.delays().empty());
}

TEST_F(Tls, ACaBundleMakesTheServerTrusted) {
  ClientOptions opts = options();
  opts.caBundle = cert_.certPath();
  Transport transport(opts);
  EXPECT_EQ(transport.send({.method = "GET", .path = "/ping"}).status, 200);
  EXPECT_EQ(server_.seen().size(), 1u);
}

TEST_F(Tls, VerificationCanBeTurnedOffExplicitly) {
  ClientOptions opts = options();
  opts.verifyTls = false;
  Transport transport(opts);
  EXPECT_EQ(transport.send({.method = "GET", .path = "/ping"}).status, 200);
}

}  // namespace
}  // namespace tether::client
