//! Reading a stored object one ranged request at a time (S3 `Range`, Azure Blob `x-ms-range`), so that memory
//! holds one range whatever the object's size. The sources supply the request; this is the `Read` around it.

use std::io::Read;

/// A [`Read`] over the first `end` bytes of an object, fetched `range` bytes at a time by `fetch(offset, len)`.
pub struct RangedReader<F> {
    fetch: F,
    end: u64,
    range: u64,
    offset: u64,
    buffer: Vec<u8>,
    at: usize,
}

impl<F, E> RangedReader<F>
where
    F: FnMut(u64, u64) -> Result<Vec<u8>, E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    /// Reads bytes `0..end`, `range` (at least 1) at a time. A fetch that returns nothing ends the object early
    /// (it was shorter than listed).
    pub fn new(end: u64, range: u64, fetch: F) -> Self {
        RangedReader { fetch, end, range: range.max(1), offset: 0, buffer: Vec::new(), at: 0 }
    }
}

impl<F, E> Read for RangedReader<F>
where
    F: FnMut(u64, u64) -> Result<Vec<u8>, E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.buffer.len() {
            if self.offset >= self.end {
                return Ok(0);
            }
            let len = self.range.min(self.end - self.offset);
            self.buffer = (self.fetch)(self.offset, len).map_err(std::io::Error::other)?;
            self.at = 0;
            if self.buffer.is_empty() {
                self.offset = self.end;
                return Ok(0);
            }
            self.offset += self.buffer.len() as u64;
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_the_object_in_ranges_up_to_the_end_asked() {
        let object: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let mut asked = Vec::new();
        let mut reader = RangedReader::new(9_000, 4_096, |offset, len| {
            asked.push((offset, len));
            let (start, stop) = (offset as usize, (offset + len) as usize);
            Ok::<_, std::io::Error>(object[start..stop.min(object.len())].to_vec())
        });
        let mut got = Vec::new();
        reader.read_to_end(&mut got).unwrap();
        assert_eq!(got, object[..9_000]);
        drop(reader);
        assert_eq!(asked, [(0, 4_096), (4_096, 4_096), (8_192, 808)]);
    }

    #[test]
    fn a_failed_range_is_an_error_and_a_short_object_ends_early() {
        let mut failing = RangedReader::new(10, 4, |_, _| Err::<Vec<u8>, _>(std::io::Error::other("denied")));
        assert!(failing.read_to_end(&mut Vec::new()).unwrap_err().to_string().contains("denied"));
        let mut short = RangedReader::new(100, 8, |offset, _| {
            Ok::<_, std::io::Error>(if offset == 0 { vec![1; 8] } else { vec![] })
        });
        let mut got = Vec::new();
        short.read_to_end(&mut got).unwrap();
        assert_eq!(got.len(), 8);
    }
}
