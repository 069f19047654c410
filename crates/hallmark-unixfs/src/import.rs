//! The streaming file importer: Kubo's fixed-size chunker and balanced layout, one pass,
//! memory bounded by one chunk plus one pending node per tree level.

use std::io::{self, Read};

use crate::cid::{Cid, CidVersion, Codec};
use crate::pb::{self, Link};
use crate::settings::ImportSettings;
use crate::sink::BlockSink;

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError<E> {
    /// Reading the input failed.
    #[error("reading the file failed: {0}")]
    Io(#[from] io::Error),
    /// The block sink failed.
    #[error("storing a block failed: {0}")]
    Sink(E),
    /// The settings are not supported.
    #[error("unsupported import settings: {0}")]
    InvalidSettings(String),
}

/// The result of an import.
#[derive(Debug)]
pub struct Imported<S> {
    /// The file's root CID.
    pub root: Cid,
    /// The file's size in bytes.
    pub file_size: u64,
    /// How many blocks the DAG has (each counted once per occurrence).
    pub blocks: u64,
    /// The sink, handed back.
    pub sink: S,
}

/// A finished subtree waiting for its parent.
#[derive(Debug, Clone)]
struct Child {
    cid: Cid,
    /// Cumulative size of the subtree's blocks (the dag-pb link `Tsize`).
    tsize: u64,
    /// File bytes under the subtree.
    file_size: u64,
}

/// Imports a file written to it piece by piece; [`finish`](Self::finish) returns the root.
#[derive(Debug)]
pub struct FileImporter<S> {
    settings: ImportSettings,
    sink: S,
    chunk: Vec<u8>,
    /// Reused buffer for dag-pb leaves.
    leaf: Vec<u8>,
    /// `levels[0]` holds leaves, `levels[i]` nodes of height `i`; each at most `max_links`.
    levels: Vec<Vec<Child>>,
    file_size: u64,
    blocks: u64,
}

impl<S: BlockSink> FileImporter<S> {
    /// An importer with `settings` writing blocks to `sink`.
    pub fn new(settings: ImportSettings, sink: S) -> Result<Self, ImportError<S::Error>> {
        settings.validate().map_err(ImportError::InvalidSettings)?;
        Ok(Self {
            chunk: Vec::with_capacity(settings.chunk_size),
            leaf: Vec::new(),
            settings,
            sink,
            levels: vec![Vec::new()],
            file_size: 0,
            blocks: 0,
        })
    }

    /// Feeds the next bytes of the file.
    pub fn write(&mut self, mut bytes: &[u8]) -> Result<(), ImportError<S::Error>> {
        while !bytes.is_empty() {
            let room = self.settings.chunk_size - self.chunk.len();
            let take = room.min(bytes.len());
            self.chunk.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.chunk.len() == self.settings.chunk_size {
                self.flush_chunk()?;
            }
        }
        Ok(())
    }

    /// Bytes fed so far.
    pub fn bytes_written(&self) -> u64 {
        self.file_size + self.chunk.len() as u64
    }

    fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), ImportError<S::Error>> {
        self.blocks += 1;
        self.sink.put(cid, block).map_err(ImportError::Sink)
    }

    fn flush_chunk(&mut self) -> Result<(), ImportError<S::Error>> {
        let chunk = std::mem::take(&mut self.chunk);
        let leaf = self.make_leaf(&chunk)?;
        self.chunk = chunk;
        self.chunk.clear();
        self.push(0, leaf)
    }

    fn make_leaf(&mut self, chunk: &[u8]) -> Result<Child, ImportError<S::Error>> {
        let (cid, block_len) = if self.settings.raw_leaves {
            let cid = block_cid(CidVersion::V1, Codec::Raw, chunk);
            self.put(&cid, chunk)?;
            (cid, chunk.len())
        } else {
            let mut block = std::mem::take(&mut self.leaf);
            pb::encode_leaf_into(&mut block, chunk);
            let cid = block_cid(self.settings.cid_version, Codec::DagPb, &block);
            let stored = self.put(&cid, &block);
            let block_len = block.len();
            self.leaf = block;
            stored?;
            (cid, block_len)
        };
        self.file_size += chunk.len() as u64;
        Ok(Child {
            cid,
            tsize: block_len as u64,
            file_size: chunk.len() as u64,
        })
    }

    /// Adds `child` at `level`, first closing that level into a parent if it is full.
    fn push(&mut self, level: usize, child: Child) -> Result<(), ImportError<S::Error>> {
        if self.levels.len() == level {
            self.levels.push(Vec::new());
        }
        if self.levels[level].len() == self.settings.max_links {
            let parent = self.close_level(level)?;
            self.push(level + 1, parent)?;
        }
        self.levels[level].push(child);
        Ok(())
    }

    /// Turns the children waiting at `level` into one parent node.
    fn close_level(&mut self, level: usize) -> Result<Child, ImportError<S::Error>> {
        let children = std::mem::take(&mut self.levels[level]);
        let links: Vec<Link> = children
            .iter()
            .map(|c| Link {
                cid: c.cid,
                tsize: c.tsize,
            })
            .collect();
        let sizes: Vec<u64> = children.iter().map(|c| c.file_size).collect();
        let block = pb::encode_parent(&links, &sizes);
        let cid = block_cid(self.settings.cid_version, Codec::DagPb, &block);
        self.put(&cid, &block)?;
        Ok(Child {
            cid,
            tsize: block.len() as u64 + links.iter().map(|l| l.tsize).sum::<u64>(),
            file_size: sizes.iter().sum(),
        })
    }

    /// Ends the file: the last chunk, then every open level, up to the root.
    pub fn finish(mut self) -> Result<Imported<S>, ImportError<S::Error>> {
        let no_leaf_yet = self.levels[0].is_empty() && self.levels.len() == 1;
        if !self.chunk.is_empty() || no_leaf_yet {
            // The last (or, for an empty file, the only and empty) chunk.
            self.flush_chunk()?;
        }
        let mut level = 0;
        let root = loop {
            let top = level + 1 == self.levels.len();
            if top && self.levels[level].len() == 1 {
                // A single leaf is its own root; otherwise the one node left on top is.
                break self.levels[level].remove(0);
            }
            let parent = self.close_level(level)?;
            self.push(level + 1, parent)?;
            level += 1;
        };
        Ok(Imported {
            root: root.cid,
            file_size: self.file_size,
            blocks: self.blocks,
            sink: self.sink,
        })
    }
}

fn block_cid(version: CidVersion, codec: Codec, block: &[u8]) -> Cid {
    match Cid::for_block(version, codec, block) {
        Ok(cid) => cid,
        // Only V0 + Raw fails, and raw leaves always use V1.
        Err(_) => Cid::for_block(CidVersion::V1, codec, block).unwrap_or_else(|_| unreachable!()),
    }
}

/// Imports everything `reader` yields.
pub fn import_reader<R: Read, S: BlockSink>(
    mut reader: R,
    settings: &ImportSettings,
    sink: S,
) -> Result<Imported<S>, ImportError<S::Error>> {
    let mut importer = FileImporter::new(settings.clone(), sink)?;
    let mut buf = vec![0u8; settings.chunk_size.max(64 * 1024)];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ImportError::Io(e)),
        };
        importer.write(&buf[..n])?;
    }
    importer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::{MemorySink, NullSink};

    fn cid_of(data: &[u8], settings: &ImportSettings) -> String {
        import_reader(data, settings, NullSink)
            .expect("import")
            .root
            .to_string()
    }

    #[test]
    fn kubo_known_cids() {
        let v0 = ImportSettings::kubo_v0();
        let v1 = ImportSettings::kubo_v1();
        assert_eq!(
            cid_of(b"hello world\n", &v0),
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
        );
        assert_eq!(
            cid_of(b"hello world\n", &v1),
            "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
        );
        assert_eq!(
            cid_of(b"", &v0),
            "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"
        );
        assert_eq!(
            cid_of(b"", &v1),
            "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
        );
    }

    #[test]
    fn piecewise_writes_equal_one_write() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let settings = ImportSettings {
            chunk_size: 1000,
            max_links: 4,
            ..ImportSettings::kubo_v1()
        };
        let whole = import_reader(&data[..], &settings, NullSink).expect("whole");
        let mut importer = FileImporter::new(settings, NullSink).expect("new");
        for piece in data.chunks(777) {
            importer.write(piece).expect("write");
        }
        let pieces = importer.finish().expect("finish");
        assert_eq!(whole.root, pieces.root);
        assert_eq!(whole.blocks, pieces.blocks);
        assert_eq!(pieces.file_size, data.len() as u64);
    }

    #[test]
    fn tree_shape_is_balanced() {
        // 5 chunks, 2 links per node: leaves [a b] [c d] [e] → [ab cd] [e'] → root.
        let settings = ImportSettings {
            chunk_size: 1,
            max_links: 2,
            ..ImportSettings::kubo_v1()
        };
        let imported =
            import_reader(&b"abcde"[..], &settings, MemorySink::default()).expect("import");
        // 5 leaves + 3 nodes of height 1 + 2 of height 2 + root.
        assert_eq!(imported.blocks, 11);
        assert_eq!(imported.sink.blocks.len(), 11);
        assert_eq!(
            imported.sink.blocks.last().map(|b| b.0),
            Some(imported.root)
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        for settings in [
            ImportSettings {
                hash: "blake3".into(),
                ..ImportSettings::kubo_v1()
            },
            ImportSettings {
                chunk_size: 0,
                ..ImportSettings::kubo_v1()
            },
            ImportSettings {
                chunk_size: 2 << 20,
                ..ImportSettings::kubo_v1()
            },
            ImportSettings {
                max_links: 1,
                ..ImportSettings::kubo_v1()
            },
        ] {
            assert!(matches!(
                FileImporter::new(settings, NullSink),
                Err(ImportError::InvalidSettings(_))
            ));
        }
    }
}
