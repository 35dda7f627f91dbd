// A throwaway self-signed TLS certificate for loopback servers in tests,
// made at run time with OpenSSL so that no private key is ever committed.
#pragma once

#include <filesystem>

namespace aa::test {

struct TestCertificate {
  std::filesystem::path certificate_file;  ///< PEM; also the CA file a client trusts it with.
  std::filesystem::path key_file;          ///< PEM, unencrypted.
};

/// Writes a new P-256 key and a self-signed certificate for 127.0.0.1 and
/// localhost (subjectAltName), valid for one day, as cert.pem and key.pem
/// into `dir`. Each call makes a new key, so two certificates never trust
/// each other. Throws std::runtime_error with OpenSSL's error text.
TestCertificate make_test_certificate(const std::filesystem::path& dir);

}  // namespace aa::test
