// SecretBox, the base64 helpers, constant_time_equal, and password hashes:
// Argon2id for new ones and Django's pbkdf2_sha256 for imported users.
#include <doctest/doctest.h>

#include <sodium.h>

#include <set>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/passwords.hpp"

using namespace aa::core;

namespace {

// Django pbkdf2_sha256 hashes, computed independently of Django with
// Python's standard library:
//   dk = hashlib.pbkdf2_hmac('sha256', password.encode(), salt.encode(), iterations)
//   'pbkdf2_sha256$%d$%s$%s' % (iterations, salt, base64.b64encode(dk).decode())
constexpr const char* kDjangoLetmein = "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=";
constexpr const char* kDjangoHunter2 = "pbkdf2_sha256$1000$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=";

// Built on first use, after main() has initialised libsodium.
const SecretBox& test_box() {
  static const SecretBox box("unit-test-secret-key-0123456789-abcdef");
  return box;
}

// Replaces one base64 character of a sealed value, after the "v1:" prefix.
std::string tamper(std::string sealed, std::size_t offset) {
  auto& c = sealed[3 + offset];
  c = c == 'A' ? 'B' : 'A';
  return sealed;
}

}  // namespace

TEST_CASE("secret box: round trip") {
  const auto& box = test_box();
  for (const auto& plaintext : {std::string("eyJhbGciOiJSUzI1NiJ9.refresh"), std::string(),
                                      std::string("bytes\0with\0nul", 14), std::string(5000, 'x')}) {
    CAPTURE(plaintext.size());
    auto sealed = box.seal(plaintext);
    CHECK(sealed.starts_with("v1:"));
    if (!plaintext.empty()) CHECK(sealed.find(plaintext) == std::string::npos);
    CHECK(box.open(sealed) == plaintext);
  }

  // Each seal takes a new nonce, so the same text never seals the same way twice.
  CHECK(box.seal("same text") != box.seal("same text"));

  // A box made from the same secret opens it, as after a daemon restart.
  SecretBox restarted("unit-test-secret-key-0123456789-abcdef");
  CHECK(restarted.open(box.seal("kept across restarts")) == "kept across restarts");
}

TEST_CASE("secret box: tampered text opens to nothing") {
  const auto& box = test_box();
  auto sealed = box.seal("refresh-token-value");
  REQUIRE(box.open(sealed).has_value());

  // Nonce, ciphertext and authentication tag.
  for (std::size_t offset : {std::size_t(0), std::size_t(20), std::size_t(40), sealed.size() - 5}) {
    CAPTURE(offset);
    CHECK_FALSE(box.open(tamper(sealed, offset)).has_value());
  }
  CHECK_FALSE(box.open(sealed.substr(0, sealed.size() - 4)).has_value());
  CHECK_FALSE(box.open("v2:" + sealed.substr(3)).has_value());
  CHECK_FALSE(box.open(sealed.substr(3)).has_value());
  CHECK_FALSE(box.open("v1:").has_value());
  CHECK_FALSE(box.open("v1:not base64!").has_value());
  CHECK_FALSE(box.open("").has_value());
  CHECK_FALSE(box.open("refresh-token-value").has_value());
}

TEST_CASE("secret box: other key opens nothing") {
  const auto& box = test_box();
  SecretBox other("another-secret-key-0123456789-abcdefgh");
  auto sealed = box.seal("refresh-token-value");
  CHECK_FALSE(other.open(sealed).has_value());
  CHECK_FALSE(box.open(other.seal("refresh-token-value")).has_value());
}

TEST_CASE("base64: RFC 4648 vectors") {
  struct Case {
    std::string data;
    std::string base64;
    std::string base64url;
  };
  std::vector<Case> cases{
      {"", "", ""},
      {"f", "Zg==", "Zg"},
      {"fo", "Zm8=", "Zm8"},
      {"foo", "Zm9v", "Zm9v"},
      {"foob", "Zm9vYg==", "Zm9vYg"},
      {"fooba", "Zm9vYmE=", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
      // Bytes whose encodings differ between the two alphabets.
      {"\xfb\xff\xbf", "+/+/", "-_-_"},
  };
  for (const auto& test : cases) {
    CAPTURE(test.base64);
    CHECK(base64_encode(test.data) == test.base64);
    CHECK(base64_decode(test.base64) == test.data);
    CHECK(base64url_encode(test.data) == test.base64url);
    CHECK(base64url_decode(test.base64url) == test.data);
    // JWT parts come without padding, other base64url text with it.
    auto padded = test.base64url + std::string((4 - test.base64url.size() % 4) % 4, '=');
    CHECK(base64url_decode(padded) == test.data);
  }
}

TEST_CASE("base64: invalid text decodes to nothing") {
  CHECK_FALSE(base64url_decode("+/+/").has_value());
  CHECK_FALSE(base64url_decode("Zm9v YmFy").has_value());
  CHECK_FALSE(base64url_decode("Zm9v.YmFy").has_value());
  CHECK_FALSE(base64_decode("-_-_").has_value());
  CHECK_FALSE(base64_decode("Zm9vYg").has_value());
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
}

TEST_CASE("crypto: helpers") {
  CHECK(constant_time_equal("token-value", "token-value"));
  CHECK_FALSE(constant_time_equal("token-value", "token-valuf"));
  CHECK_FALSE(constant_time_equal("token-value", "token-value-longer"));
  CHECK_FALSE(constant_time_equal("", "x"));
  CHECK(constant_time_equal("", ""));

  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  std::set<std::string> tokens;
  for (int i = 0; i < 20; ++i) {
    auto token = random_token();
    CHECK(token.size() == 43);
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(base64url_decode(token)->size() == 32);
    tokens.insert(token);
  }
  CHECK(tokens.size() == 20);
  CHECK(random_token(16).size() == 22);
}

TEST_CASE("passwords: Argon2id hash verifies") {
  auto hash = hash_password("correct horse battery staple");
  CHECK(hash.starts_with("$argon2id$"));
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(hash != hash_password("correct horse battery staple"));

  auto check = check_password("correct horse battery staple", hash);
  CHECK(check.valid);
  CHECK_FALSE(check.needs_rehash);
  auto wrong = check_password("correct horse battery stapler", hash);
  CHECK_FALSE(wrong.valid);
  CHECK_FALSE(wrong.needs_rehash);
  CHECK_FALSE(check_password("", hash).valid);

  // A valid hash made with weaker parameters than today's needs a rehash.
  char weak[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str_alg(weak, "pw", 2, 1, 8192 * 1024, crypto_pwhash_ALG_ARGON2ID13) == 0);
  auto outdated = check_password("pw", weak);
  CHECK(outdated.valid);
  CHECK(outdated.needs_rehash);
}

TEST_CASE("passwords: Django pbkdf2_sha256 verifies") {
  auto check = check_password("lètmein", kDjangoLetmein);
  CHECK(check.valid);
  CHECK(check.needs_rehash);
  check = check_password("hunter2", kDjangoHunter2);
  CHECK(check.valid);
  CHECK(check.needs_rehash);

  auto wrong = check_password("letmein", kDjangoLetmein);
  CHECK_FALSE(wrong.valid);
  CHECK_FALSE(wrong.needs_rehash);
  CHECK_FALSE(check_password("hunter3", kDjangoHunter2).valid);
  CHECK_FALSE(check_password("", kDjangoHunter2).valid);
}

TEST_CASE("passwords: altered Django hashes fail") {
  std::vector<std::string> altered{
      "pbkdf2_sha256$1001$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=",  // iterations
      "pbkdf2_sha256$1000$c2FsdHlzYWx1$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=",  // salt
      "pbkdf2_sha256$1000$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7A=",  // key
      "pbkdf2_sha256$1000$c2FsdHlzYWx0",
      "pbkdf2_sha256$abc$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=",
      "pbkdf2_sha256$0$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=",
      "pbkdf2_sha256$-5$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=",
      "pbkdf2_sha256$1000$c2FsdHlzYWx0$",
      "pbkdf2_sha256$1000$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=$extra",
      "pbkdf2_sha1$1000$c2FsdHlzYWx0$lMKbINqSnQmcIZC7gj8Z4SDTvhppcOg6Xom8tgYAJ7I=",
  };
  for (const auto& stored : altered) {
    CAPTURE(stored);
    CHECK_FALSE(check_password("hunter2", stored).valid);
  }
}

TEST_CASE("passwords: unusable hashes never match") {
  for (const auto& stored : {std::string(), std::string("!"), std::string("!Xk3fPq9ZrT1vW8yLm2n"),
                                   std::string("md5$salt$5f4dcc3b5aa765d61d8327deb882cf99"),
                                   std::string("bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuv"),
                                   std::string("$argon2id$v=19$m=65536,t=2,p=1$broken")}) {
    CAPTURE(stored);
    for (const char* password : {"", "!", "password", "hunter2"}) {
      CAPTURE(std::string(password));
      auto check = check_password(password, stored);
      CHECK_FALSE(check.valid);
      CHECK_FALSE(check.needs_rehash);
    }
  }
}
