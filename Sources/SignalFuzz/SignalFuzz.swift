// Placeholder until the signal decoder lands; replaced by the ingest work.
@_cdecl("LLVMFuzzerTestOneInput")
public func signalFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
