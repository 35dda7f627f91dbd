// Product version and the SDK ABI version that a plugin is checked against.
#pragma once

namespace aa {

/// The product version shown on the dashboard and by `allianceauth --version`.
inline constexpr const char* kVersion = "0.1.0";

/// The SDK's C++ ABI version. It changes whenever a public class layout, a
/// virtual table or an inline contract of any header under aa/ changes. The
/// loader rejects a plugin built against another value before it registers
/// any hook.
inline constexpr int kSdkAbiVersion = 5;

}  // namespace aa
