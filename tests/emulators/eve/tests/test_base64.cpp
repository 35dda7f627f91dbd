#include "base64.hpp"

#include <doctest/doctest.h>

using namespace aa::eve;

TEST_CASE("base64 encodes RFC 4648 test vectors") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_encode("CLIENT_ID:CLIENT_SECRET") == "Q0xJRU5UX0lEOkNMSUVOVF9TRUNSRVQ=");
}

TEST_CASE("base64 decode strips padding bytes") {
    CHECK(base64_decode("Zg==") == std::optional<std::string>("f"));
    CHECK(base64_decode("Zm8=") == std::optional<std::string>("fo"));
    CHECK(base64_decode("Zm9vYmFy") == std::optional<std::string>("foobar"));
    CHECK(base64_decode("") == std::optional<std::string>(""));
}

TEST_CASE("base64 decode rejects malformed text") {
    CHECK_FALSE(base64_decode("Zg=").has_value());
    CHECK_FALSE(base64_decode("Z===").has_value());
    CHECK_FALSE(base64_decode("====").has_value());
    CHECK_FALSE(base64_decode("Zm=v").has_value());
    CHECK_FALSE(base64_decode("Zm9-").has_value());
}

TEST_CASE("base64url round trip without padding") {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
    }
    for (std::size_t length = 0; length <= bytes.size(); length += 17) {
        auto text = base64url_encode(bytes.substr(0, length));
        CAPTURE(length);
        CHECK(text.find_first_of("+/=") == std::string::npos);
        CHECK(base64url_decode(text) == std::optional<std::string>(bytes.substr(0, length)));
    }
}

TEST_CASE("base64url uses the URL-safe alphabet") {
    CHECK(base64url_encode("\xfb\xff") == "-_8");
    CHECK(base64url_decode("-_8") == std::optional<std::string>("\xfb\xff"));
}

TEST_CASE("base64url decode rejects padding and standard characters") {
    CHECK_FALSE(base64url_decode("Zg==").has_value());
    CHECK_FALSE(base64url_decode("+/8").has_value());
    CHECK_FALSE(base64url_decode("Z").has_value());
}
