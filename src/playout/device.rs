//! Real sound devices through cpal: `default` (cpal's default output, which on Linux is
//! ALSA `default`, reaching PulseAudio/PipeWire where present) and named devices
//! (cpal `device_by_id`). Feeds a rodio mixer from our own cpal callback so each block
//! carries the device's reported playback delay into the `SinkClock`.
//! Never decodes, never schedules, never prints to stderr.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, BufferSize, DeviceId, ErrorKind, FromSample, SizedSample, StreamConfig};
use rodio::mixer::{mixer, Mixer, MixerSource};

use super::backend::{Backend, SinkClock};
use super::spec::OutputSpec;
use super::PlayoutError;

/// Frames per device buffer: 20 ms at 48 kHz. Small enough for a tight start, large
/// enough for a Pi decoding MP3 in the callback.
pub(crate) const BUFFER_FRAMES: u32 = 960;

struct DeviceBackend {
    mixer: Mixer,
    clock: Arc<SinkClock>,
    _stream: cpal::Stream,
}

impl Backend for DeviceBackend {
    fn mixer(&self) -> &Mixer {
        &self.mixer
    }
    fn clock(&self) -> &Arc<SinkClock> {
        &self.clock
    }
}

impl Drop for DeviceBackend {
    fn drop(&mut self) {
        tracing::debug!("closing sound device");
    }
}

pub(crate) fn open(spec: &OutputSpec) -> Result<Box<dyn Backend>, PlayoutError> {
    let fail = |reason: String| PlayoutError::Open {
        output: spec.to_string(),
        reason,
    };
    let host = cpal::default_host();
    let device = match spec {
        OutputSpec::Device(name) => find_device(&host, name).map_err(fail)?,
        _ => host
            .default_output_device()
            .ok_or_else(|| fail("the system has no default output device".into()))?,
    };
    open_device(&device, BUFFER_FRAMES).map_err(fail)
}

fn find_device(host: &cpal::Host, name: &str) -> Result<cpal::Device, String> {
    let id = DeviceId::from_str(name)
        .or_else(|_| DeviceId::from_str(&format!("alsa:{name}")))
        .map_err(|e| format!("not a device name: {e}"))?;
    if let Some(d) = host.device_by_id(&id) {
        return Ok(d);
    }
    let known: Vec<String> = host
        .output_devices()
        .map(|ds| {
            ds.filter_map(|d| d.id().ok())
                .map(|id| id.id().to_string())
                .collect()
        })
        .unwrap_or_default();
    Err(format!(
        "no such device; output devices here: {} (see `aplay -L`)",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    ))
}

/// Open a stream on `device` at its default config (48 kHz preferred), with a fixed
/// buffer of `buffer_frames` if the device accepts one, else its default buffer.
pub(crate) fn open_device(
    device: &cpal::Device,
    buffer_frames: u32,
) -> Result<Box<dyn Backend>, String> {
    let supported = device
        .default_output_config()
        .map_err(|e| format!("cannot read its configuration: {e}"))?;
    let channels = supported.channels().max(1);
    let takes_48k = device
        .supported_output_configs()
        .map(|mut cs| {
            cs.any(|c| {
                c.channels() == channels
                    && c.min_sample_rate() <= 48_000
                    && c.max_sample_rate() >= 48_000
            })
        })
        .unwrap_or(false);
    let rate = if takes_48k {
        48_000
    } else {
        supported.sample_rate()
    };
    let format = supported.sample_format();
    let mut last_err = String::new();
    for buffer_size in [BufferSize::Fixed(buffer_frames), BufferSize::Default] {
        let config = StreamConfig {
            channels,
            sample_rate: rate,
            buffer_size,
        };
        let clock = Arc::new(SinkClock::new(channels, rate));
        let (Some(ch), Some(sr)) = (
            std::num::NonZero::new(channels),
            std::num::NonZero::new(rate),
        ) else {
            return Err("the device reports no channels or no sample rate".into());
        };
        let (mixer_in, mixer_out) = mixer(ch, sr);
        match build(device, config, format, mixer_out, &clock) {
            Ok(stream) => {
                stream
                    .play()
                    .map_err(|e| format!("cannot start playback: {e}"))?;
                tracing::debug!(
                    "sound device open: {channels} ch, {rate} Hz, {format:?}, buffer {buffer_size:?}"
                );
                return Ok(Box::new(DeviceBackend {
                    mixer: mixer_in,
                    clock,
                    _stream: stream,
                }));
            }
            Err(e) => last_err = e,
        }
    }
    Err(last_err)
}

fn build(
    device: &cpal::Device,
    config: StreamConfig,
    format: cpal::SampleFormat,
    source: MixerSource,
    clock: &Arc<SinkClock>,
) -> Result<cpal::Stream, String> {
    use cpal::SampleFormat as F;
    let r = match format {
        F::F32 => build_typed::<f32>(device, config, source, clock),
        F::F64 => build_typed::<f64>(device, config, source, clock),
        F::I16 => build_typed::<i16>(device, config, source, clock),
        F::I32 => build_typed::<i32>(device, config, source, clock),
        F::I8 => build_typed::<i8>(device, config, source, clock),
        F::U8 => build_typed::<u8>(device, config, source, clock),
        F::U16 => build_typed::<u16>(device, config, source, clock),
        F::U32 => build_typed::<u32>(device, config, source, clock),
        F::I24 => build_typed::<cpal::I24>(device, config, source, clock),
        other => return Err(format!("unsupported sample format {other:?}")),
    };
    r.map_err(|e| format!("cannot open a stream: {e}"))
}

fn build_typed<T>(
    device: &cpal::Device,
    config: StreamConfig,
    mut source: MixerSource,
    clock: &Arc<SinkClock>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + FromSample<f32> + Send + 'static,
{
    let channels = usize::from(config.channels.max(1));
    let data_clock = Arc::clone(clock);
    let err_clock = Arc::clone(clock);
    let mut frame: u64 = 0;
    device.build_output_stream::<T, _, _>(
        config,
        move |data: &mut [T], info: &cpal::OutputCallbackInfo| {
            let ts = info.timestamp();
            let delay = ts.playback.duration_since(ts.callback);
            data_clock.begin_block(frame, Instant::now() + delay);
            for out in data.chunks_mut(channels) {
                data_clock.set_frame(frame);
                for d in out {
                    *d = source.next().map(T::from_sample).unwrap_or(T::EQUILIBRIUM);
                }
                frame += 1;
            }
            data_clock.set_frame(frame);
        },
        move |err: cpal::Error| {
            tracing::debug!("sound device reported: {err}");
            if is_fatal(err.kind()) {
                err_clock.fail(format!("sound device failed: {err}"));
            }
        },
        None,
    )
}

/// Errors after which the stream does not recover. Xruns and the alsa-plugins
/// `snd_pcm_avail_delay` noise are not fatal; a stall is caught by `SinkClock`.
fn is_fatal(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::DeviceNotAvailable
            | ErrorKind::HostUnavailable
            | ErrorKind::StreamInvalidated
            | ErrorKind::PermissionDenied
    )
}
