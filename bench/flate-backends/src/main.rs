//! Deflate and inflate throughput of the flate2 backend chosen by feature (see Cargo.toml).
//! The window is 15 bits for both: miniz_oxide cannot set another one, which
//! permessage-deflate needs for `server_max_window_bits` / `client_max_window_bits`.
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};
use std::time::Instant;
fn main() {
    // compressible 64 KiB messages, raw deflate with context takeover, as permessage-deflate uses
    let mut msg = Vec::with_capacity(65536);
    let words = [
        "lws ",
        "websocket ",
        "deflate ",
        "message ",
        "payload ",
        "compress ",
    ];
    let mut i = 0u32;
    while msg.len() < 65536 {
        msg.extend_from_slice(words[(i.wrapping_mul(2654435761) >> 29) as usize % 6].as_bytes());
        msg.extend_from_slice(format!("{} ", i % 1000).as_bytes());
        i += 1;
    }
    msg.truncate(65536);
    let n = 2000;
    let mut c = Compress::new(Compression::default(), false);
    let mut d = Decompress::new(false);
    let mut out = vec![0u8; 80000];
    let mut back = vec![0u8; 70000];
    let (mut ct, mut dt, mut clen) = (0f64, 0f64, 0usize);
    for _ in 0..n {
        let t = Instant::now();
        let before = c.total_out();
        c.compress(&msg, &mut out, FlushCompress::Sync).unwrap();
        let len = (c.total_out() - before) as usize;
        ct += t.elapsed().as_secs_f64();
        clen += len;
        let t = Instant::now();
        let b0 = d.total_out();
        d.decompress(&out[..len], &mut back, FlushDecompress::Sync)
            .unwrap();
        dt += t.elapsed().as_secs_f64();
        assert_eq!((d.total_out() - b0) as usize, msg.len());
    }
    let mb = (n * msg.len()) as f64 / 1e6;
    println!(
        "deflate {:.0} MB/s, inflate {:.0} MB/s, ratio {:.3}",
        mb / ct,
        mb / dt,
        clen as f64 / (n * msg.len()) as f64
    );
}
