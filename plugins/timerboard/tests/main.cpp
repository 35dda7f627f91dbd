#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "app/logging.hpp"
#include "auth/crypto.hpp"

int main(int argc, char** argv) {
  aa::core::init_crypto();
  // Only warnings and errors from the code under test, so the output stays readable.
  aa::core::LogOptions log;
  log.level = "warning";
  log.extensions_level = "warning";
  aa::core::init_logging(log);
  doctest::Context context(argc, argv);
  return context.run();
}
