// The main() of the doctest executables that test core and plugins: sets up
// what the daemon sets up before any test runs (curl, libsodium, logging).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <curl/curl.h>

#include "app/logging.hpp"
#include "auth/crypto.hpp"

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  aa::core::init_crypto();
  // Keep the test output readable: only warnings and errors from the code under test.
  aa::core::LogOptions log;
  log.level = "warning";
  log.extensions_level = "warning";
  aa::core::init_logging(log);
  doctest::Context context(argc, argv);
  return context.run();
}
