import Foundation

// Not built yet: the synthetic-archive generator and the ingest / query / disk / RSS rows
// against datasketch's MinHashLSH (see the README's story index section).

func generate(_ arguments: Arguments) throws { fail("generate is not implemented yet") }

func speed(_ arguments: Arguments) throws { fail("speed is not implemented yet") }
