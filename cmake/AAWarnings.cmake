# One interface target carries the project's warning flags; every first-party
# target links it. -Werror stays opt-in so a newer compiler never breaks a
# user's build.
add_library(aa_warnings INTERFACE)
# The SDK is built around aggregates filled with designated initializers,
# where leaving members at their defaults is the point.
target_compile_options(aa_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
  -Wno-missing-field-initializers)
if(AA_WERROR)
  target_compile_options(aa_warnings INTERFACE -Werror)
endif()
