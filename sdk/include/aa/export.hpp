// Symbol visibility for the SDK. Every target builds with hidden visibility,
// so the classes and functions that cross the host/plugin boundary are marked
// here. Default visibility also keeps typeinfo shared, which dynamic_cast and
// typed catch across the boundary rely on.
#pragma once

#define AA_SDK_API __attribute__((visibility("default")))
