import { useState } from 'preact/hooks';
import { api } from '../../../api.js';
import { ErrorBox, Field } from '../../../components.js';
import { useAction } from '../../../hooks.js';
import type { LocationToSend, Sent } from '../../../types.js';
import { type PanelProps, replyOf, sendUrl } from './panel.js';

/**
 * A place by its coordinates. The inputs carry the API's bounds (±90, ±180), so the browser
 * names the field before anything is sent; the API's own answer shows below for the rest.
 */
export function LocationForm({ id, chat, quotedMessageId, onSent }: PanelProps) {
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: LocationToSend = { phone: chat, latitude: Number(lat), longitude: Number(lon), ...replyOf(quotedMessageId) };
    if (name.trim()) body.name = name.trim();
    if (address.trim()) body.address = address.trim();
    if (await run(() => api.post<Sent>(sendUrl(id, 'send-location'), body))) await onSent();
  };

  return (
    <form class="panel-form" onSubmit={submit} aria-label="Send a location">
      <div class="inline-form">
        <Field label="Latitude" name="latitude" type="number" step="any" min={-90} max={90} required hint="-90 to 90" value={lat} onInput={(e) => setLat(e.currentTarget.value)} />
        <Field label="Longitude" name="longitude" type="number" step="any" min={-180} max={180} required hint="-180 to 180" value={lon} onInput={(e) => setLon(e.currentTarget.value)} />
      </div>
      <div class="inline-form">
        <Field label="Place name (optional)" name="place-name" maxLength={256} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <Field label="Address (optional)" name="address" maxLength={1024} value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={busy}>
        Send location
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
