//! Decoding many JSON records on every core while one thread reads them, keeping their order.

/// How many bytes of text the reading thread gathers before handing them to a decoder.
const BATCH_BYTES: usize = 1 << 20;

/// Decodes records read by `read` with `decode`, on every core, and returns them in reading order.
///
/// `read` runs on the calling thread and hands each record (a key naming it for errors, such as a line number or
/// a row id, and its text) to the function it is given. Batches of about a megabyte go to decoder threads and come
/// back numbered. The first error in reading order is returned, so the result is the same as decoding one record
/// after another.
pub fn decode_in_order<K, T, E>(
    read: impl FnOnce(&mut dyn FnMut(K, String)) -> Result<(), E>,
    decode: impl Fn(&K, &str) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E>
where
    K: Send,
    T: Send,
    E: Send,
{
    let decoders = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let (to_decode, batches) = std::sync::mpsc::sync_channel::<(usize, Vec<(K, String)>)>(decoders * 2);
    let batches = std::sync::Mutex::new(batches);
    let (to_collect, decoded) = std::sync::mpsc::channel::<(usize, Result<Vec<T>, E>)>();
    let read: Result<(), E> = std::thread::scope(|scope| {
        for _ in 0..decoders {
            let to_collect = to_collect.clone();
            let (batches, decode) = (&batches, &decode);
            scope.spawn(move || loop {
                // A poisoned lock means another decoder panicked; the scope re-raises that panic.
                let next = match batches.lock() {
                    Ok(receiver) => receiver.recv(),
                    Err(_) => return,
                };
                let Ok((n, batch)) = next else { return };
                let out: Result<Vec<T>, E> = batch.iter().map(|(key, text)| decode(key, text)).collect();
                if to_collect.send((n, out)).is_err() {
                    return;
                }
            });
        }
        drop(to_collect);
        let mut batch = Vec::new();
        let (mut bytes, mut sent) = (0, 0);
        let result = read(&mut |key, text| {
            bytes += text.len();
            batch.push((key, text));
            if bytes >= BATCH_BYTES {
                bytes = 0;
                // Decoders stop early only when this side has stopped listening, so a send cannot fail.
                let _ = to_decode.send((sent, std::mem::take(&mut batch)));
                sent += 1;
            }
        });
        if !batch.is_empty() {
            let _ = to_decode.send((sent, batch));
        }
        drop(to_decode);
        result
    });
    read?;
    let mut parts: Vec<(usize, Result<Vec<T>, E>)> = decoded.into_iter().collect();
    parts.sort_by_key(|(n, _)| *n);
    let mut out = Vec::new();
    for (_, part) in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// `f` over `items` on every core, results in order: the items are cut into a few chunks per core, which the
/// threads take in turn.
pub fn parallel_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = items.len().div_ceil(threads * 4).max(1);
    let parts: Vec<std::sync::Mutex<Vec<U>>> = items.chunks(chunk).map(|_| Default::default()).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(parts.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(part) = parts.get(i) else { return };
                let start = i * chunk;
                let done: Vec<U> = items[start..(start + chunk).min(items.len())].iter().map(&f).collect();
                if let Ok(mut slot) = part.lock() {
                    *slot = done;
                }
            });
        }
    });
    // A poisoned part means its thread panicked, and the scope above has already re-raised that panic.
    parts.into_iter().flat_map(|p| p.into_inner().unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_order() {
        let items: Vec<u64> = (0..10_001).collect();
        assert_eq!(parallel_map(&items, |n| n * 2), items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert!(parallel_map(&[] as &[u64], |n| *n).is_empty());
    }

    #[test]
    fn order_and_first_error_are_kept() {
        let texts: Vec<String> = (0..50_000).map(|i| format!("{{\"n\":{i}}}")).collect();
        let got: Vec<u64> = decode_in_order(
            |emit| {
                for (i, t) in texts.iter().enumerate() {
                    emit(i, t.clone());
                }
                Ok::<(), String>(())
            },
            |_, text| {
                serde_json::from_str::<serde_json::Value>(text)
                    .map(|v| v["n"].as_u64().unwrap_or(0))
                    .map_err(|e| e.to_string())
            },
        )
        .unwrap();
        assert_eq!(got, (0..50_000).collect::<Vec<u64>>());
        let err = decode_in_order(
            |emit| {
                for i in 0..50_000usize {
                    emit(i, if i == 30_000 || i == 40_000 { "{".into() } else { "1".into() });
                }
                Ok::<(), String>(())
            },
            |key, text| serde_json::from_str::<u64>(text).map_err(|_| format!("record {key}")),
        )
        .unwrap_err();
        assert_eq!(err, "record 30000");
    }
}
