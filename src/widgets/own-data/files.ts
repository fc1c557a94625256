/**
 * own-data's files: what goes out (the network as .onnx, the examples as a small JSON archive,
 * both made in the page and saved by the browser — nothing is sent anywhere) and what comes in
 * (pictures as examples, an archive, an exported network), each refused with a sentence.
 */
import { fromArchive, merge } from '../../data/own.ts';
import type { OwnDataset } from '../../data/own.ts';
import { digitFromFile } from '../shared/upload-digit';

/** Hands `bytes` to the browser as a download called `name`. */
export function download(bytes: Uint8Array | string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Each picture as a 28 × 28 example, or the sentence saying why not (in file order). */
export async function picturesToExamples(
  files: readonly File[],
): Promise<{ examples: Float32Array[]; problems: string[] }> {
  const examples: Float32Array[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      examples.push(await digitFromFile(file));
    } catch (error) {
      problems.push(`“${file.name}”: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { examples, problems };
}

/** What the load button brought: archives merged into `d`, the first .onnx's bytes, problems. */
export async function readLoaded(
  d: OwnDataset,
  files: readonly File[],
): Promise<{ dataset: OwnDataset; onnx?: Uint8Array; notes: string[] }> {
  let dataset = d;
  let onnx: Uint8Array | undefined;
  const notes: string[] = [];
  for (const file of files) {
    const name = file.name.toLowerCase();
    if (name.endsWith('.onnx')) {
      if (file.size > 32 * 1024 * 1024)
        notes.push(
          `“${file.name}” is ${(file.size / 1048576).toFixed(0)} MB: not a network of this lab.`,
        );
      else onnx ??= new Uint8Array(await file.arrayBuffer());
    } else if (name.endsWith('.json')) {
      try {
        const merged = merge(dataset, fromArchive(await file.text()));
        dataset = merged.dataset;
        notes.push(`“${file.name}”: ${merged.text}`);
      } catch (error) {
        notes.push(`“${file.name}”: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else {
      notes.push(`“${file.name}” is neither a network (.onnx) nor an archive of examples (.json).`);
    }
  }
  return { dataset, ...(onnx ? { onnx } : {}), notes };
}
