import Testing

/// Every integration suite runs the built binary, often several daemons
/// and timing-sensitive crash loops: on a 2-core CI machine they run one
/// after another (unit tests still run in parallel).
@Suite(.serialized) enum Integration {}
