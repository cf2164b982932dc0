//! The per-sample rows as a Parquet file, streamed one row group per chunk.

use std::io::Write;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use ::parquet::basic::{Compression, Encoding, Repetition, Type as PhysicalType};
use ::parquet::data_type::{DoubleType, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::metadata::KeyValue;
use ::parquet::file::properties::{WriterProperties, WriterVersion};
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::{ColumnPath, Type};

use super::{Chunk, ChunkError, Column, ColumnKind, columns, for_each_chunk};
use crate::scenario::Scenario;
use crate::sim::{RunOptions, SimError};

/// Rows per row group at most: the unit of streaming, so memory stays flat whatever the sample
/// count.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The values one row group holds in memory at most (8 bytes each): 64 MiB.
const ROW_GROUP_VALUES: usize = 8 << 20;

/// Rows per row group for `columns` columns: [`ROW_GROUP_ROWS`], or fewer (down to 1,024) when
/// that many rows would hold more than 64 MiB of values, so a very wide scenario (many
/// targets × classes) does not need more memory either.
pub fn row_group_rows(columns: usize) -> usize {
    (ROW_GROUP_VALUES / columns.max(1)).clamp(1024, ROW_GROUP_ROWS)
}

/// Why [`write_parquet`] failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The samples could not be drawn (cancelled, or no worker threads).
    #[error(transparent)]
    Sim(#[from] SimError),
    /// The file could not be written (the encoder's or the system's message).
    #[error("{0}")]
    Write(String),
}

impl From<ParquetError> for WriteError {
    fn from(e: ParquetError) -> Self {
        WriteError::Write(e.to_string())
    }
}

/// Writes the per-sample rows of the samples `range` of a run with `opts` to `out` as a Parquet
/// file, and returns `out` once the file is whole. The columns are those of [`columns`]:
/// `sample` (INT64), every input (DOUBLE) and every year (DOUBLE); a missing value (a year
/// "never", see [`Chunk`]) is a null, never NaN. One row group per [`row_group_rows`] samples,
/// Snappy-compressed, no dictionary; the file's key-value metadata names the tool's version,
/// the scenario's SHA-256, the seed and the run's sample count. The bytes depend only on the
/// scenario, `opts.seed`, `opts.samples` and `range`, not on the thread count.
pub fn write_parquet<W: Write + Send>(
    scn: &Scenario,
    opts: &RunOptions,
    range: Range<u64>,
    out: W,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<W, WriteError> {
    let cols = columns(scn);
    let mut writer = SerializedFileWriter::new(out, schema(&cols)?, properties(scn, opts, &cols))?;
    let mut buffers = Buffers::default();
    let rows = row_group_rows(cols.len());
    let written = for_each_chunk(scn, opts, range, rows, progress, cancel, |c| {
        write_row_group(&mut writer, &cols, c, &mut buffers)
    });
    match written {
        Ok(()) => Ok(writer.into_inner()?),
        Err(ChunkError::Sim(e)) => Err(e.into()),
        Err(ChunkError::Sink(e)) => Err(e.into()),
    }
}

/// The file's schema: `sample` required, every other column an optional double.
fn schema(cols: &[Column]) -> Result<Arc<Type>, ParquetError> {
    let fields = cols
        .iter()
        .map(|c| {
            let (physical, repetition) = match c.kind {
                ColumnKind::Sample => (PhysicalType::INT64, Repetition::REQUIRED),
                _ => (PhysicalType::DOUBLE, Repetition::OPTIONAL),
            };
            Type::primitive_type_builder(&c.name, physical)
                .with_repetition(repetition)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(
        Type::group_type_builder("diffusion_sim_samples")
            .with_fields(fields)
            .build()?,
    ))
}

/// Snappy, no dictionary (the values are nearly all distinct), doubles byte-stream-split (their
/// bytes grouped by significance, which Snappy then compresses about 12% better; in the format
/// since 2019), and the run's provenance as key-value metadata.
fn properties(scn: &Scenario, opts: &RunOptions, cols: &[Column]) -> Arc<WriterProperties> {
    let meta = [
        (
            "diffusion_sim.version",
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("diffusion_sim.scenario_sha256", scn.sha256.clone()),
        ("diffusion_sim.seed", opts.seed.to_string()),
        ("diffusion_sim.samples", opts.samples.to_string()),
    ];
    let mut builder = WriterProperties::builder();
    for c in cols.iter().filter(|c| c.kind != ColumnKind::Sample) {
        let path = ColumnPath::new(vec![c.name.clone()]);
        builder = builder.set_column_encoding(path, Encoding::BYTE_STREAM_SPLIT);
    }
    Arc::new(
        builder
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(false)
            .set_max_row_group_row_count(Some(row_group_rows(cols.len())))
            .set_key_value_metadata(Some(
                meta.into_iter()
                    .map(|(k, v)| KeyValue::new(k.to_string(), v))
                    .collect(),
            ))
            .build(),
    )
}

/// Buffers reused from row group to row group.
#[derive(Default)]
struct Buffers {
    ints: Vec<i64>,
    values: Vec<f64>,
    levels: Vec<i16>,
}

/// Writes `chunk` as one row group.
fn write_row_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    cols: &[Column],
    chunk: &Chunk,
    b: &mut Buffers,
) -> Result<(), ParquetError> {
    let mut group = writer.next_row_group()?;
    for col in cols {
        let Some(mut column) = group.next_column()? else {
            return Err(ParquetError::General(
                "fewer columns than the schema".into(),
            ));
        };
        match chunk.values(col.kind) {
            None => {
                b.ints.clear();
                b.ints.extend(chunk.samples.clone().map(|i| i as i64));
                column
                    .typed::<Int64Type>()
                    .write_batch(&b.ints, None, None)?;
            }
            Some(values) => {
                b.values.clear();
                b.values.extend(values.iter().filter(|v| !v.is_nan()));
                b.levels.clear();
                b.levels
                    .extend(values.iter().map(|v| i16::from(!v.is_nan())));
                column
                    .typed::<DoubleType>()
                    .write_batch(&b.values, Some(&b.levels), None)?;
            }
        }
        column.close()?;
    }
    group.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::chunk::tests::{chunks, joined, scenario};
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Field;

    fn write(scn: &Scenario, samples: u64, threads: usize) -> Vec<u8> {
        let opts = RunOptions {
            samples,
            seed: 3,
            threads,
        };
        let never = AtomicBool::new(false);
        write_parquet(scn, &opts, 0..samples, Vec::new(), &|_| {}, &never).unwrap()
    }

    #[test]
    fn the_file_holds_every_row_in_order_with_nulls_for_never() {
        let scn = scenario();
        let n = ROW_GROUP_ROWS as u64 + 4_000;
        let bytes = write(&scn, n, 2);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let meta = reader.metadata();
        assert_eq!(meta.num_row_groups(), 2);
        assert_eq!(meta.file_metadata().num_rows(), n as i64);
        let cols = columns(&scn);
        let schema = meta.file_metadata().schema_descr();
        assert_eq!(schema.num_columns(), cols.len());
        for (i, c) in cols.iter().enumerate() {
            let d = schema.column(i);
            assert_eq!(d.name(), c.name);
            let want = match c.kind {
                ColumnKind::Sample => (PhysicalType::INT64, 0),
                _ => (PhysicalType::DOUBLE, 1),
            };
            assert_eq!((d.physical_type(), d.max_def_level()), want, "{}", c.name);
        }
        let expected = joined(&scn, &chunks(&scn, 1, 0..n, n as usize));
        let (mut rows, mut nulls) = (0u64, 0);
        for (r, row) in reader.get_row_iter(None).unwrap().enumerate() {
            let row = row.unwrap();
            for ((_, field), col) in row.get_column_iter().zip(&cols) {
                match (field, expected.values(col.kind)) {
                    (Field::Long(i), None) => assert_eq!(*i, r as i64),
                    (Field::Double(v), Some(want)) => assert_eq!(v.to_bits(), want[r].to_bits()),
                    (Field::Null, Some(want)) => {
                        assert!(want[r].is_nan());
                        nulls += 1;
                    }
                    (other, _) => panic!("{}: {other:?}", col.name),
                }
            }
            rows += 1;
        }
        assert_eq!(rows, n);
        // Far × Pauper is never affordable; Far × Lab sometimes.
        assert!(nulls > n as usize);
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(text.contains("diffusion_sim.scenario_sha256"));
    }

    #[test]
    fn row_groups_hold_at_most_64_mib() {
        assert_eq!(row_group_rows(1), ROW_GROUP_ROWS);
        assert_eq!(row_group_rows(103), ROW_GROUP_ROWS);
        assert_eq!(row_group_rows(1_000), 8_388);
        assert_eq!(row_group_rows(1_000_000), 1_024);
        assert!(row_group_rows(129) * 129 * 8 <= 64 << 20);
    }

    #[test]
    fn the_bytes_do_not_depend_on_the_thread_count() {
        let scn = scenario();
        let one = write(&scn, 9_000, 1);
        assert_eq!(one, write(&scn, 9_000, 3));
        assert_ne!(one, write(&scn, 9_001, 1));
    }
}
