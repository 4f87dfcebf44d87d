import ArgumentParser
@main struct Vertrouwd: ParsableCommand {}
