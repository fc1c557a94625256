import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** Lessons live in the top-level `content/lessons/` folder, one MDX file each. */
const lessons = defineCollection({
  // `01-images-are-grids-of-numbers.mdx` → slug `images-are-grids-of-numbers`: the file prefix
  // keeps the folder sorted, the frontmatter `order` is what the site uses.
  loader: glob({
    pattern: '**/*.mdx',
    base: './content/lessons',
    generateId: ({ entry }) => entry.replace(/\.mdx$/, '').replace(/^\d+-/, ''),
  }),
  schema: z.object({
    title: z.string(),
    description: z.string(),
    /** Position in the course; also the lesson number shown to readers. */
    order: z.number().int().positive(),
    objectives: z.array(z.string()).min(1),
    estimatedMinutes: z.number().int().positive(),
    /** Slugs of lessons to read first. */
    prerequisites: z.array(z.string()).default([]),
  }),
});

export const collections = { lessons };
