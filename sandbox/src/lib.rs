//! The TFE emulator core: state + request -> response, no I/O. (Filled in by the sandbox issue.)
