// test_not_plugin: a valid shared library that exports a function but
// neither aa_plugin_abi_version nor aa_plugin_create.
extern "C" __attribute__((visibility("default"))) int test_not_plugin_answer() { return 42; }
