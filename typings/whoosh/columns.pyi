from whoosh.filedb.structfile import StructFile

class NumericColumn:
    class Reader:
        _typecode: str
        _count: int
        _basepos: int
        _dbfile: StructFile
