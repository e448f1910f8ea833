import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const OUTSIDE_CONTACT_FIELD = ':not(CallExpression[callee.name="contactField"] *)';
const CONTACT_MESSAGE = "Contact data is selected only through contactField(scope, …) from lib/auth/scope.ts (NULL for HR).";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "drizzle/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  // Contact data (the customer's contact person and phone, a follow-up's contact person and notes, a task's
  // resolution note) is selected only through contactField(scope, …) of lib/auth/scope.ts, which yields NULL for a
  // scope without contact access (HR): a new read that names these columns any other way fails the lint.
  {
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "workers/**/*.ts"],
    ignores: ["**/*.test.ts", "lib/seed/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `MemberExpression[object.name=/^(customers|followUps)$/][property.name=/^(contactPerson|contactPhone|notes)$/]${OUTSIDE_CONTACT_FIELD}`,
          message: CONTACT_MESSAGE,
        },
        { selector: `MemberExpression[object.name="tasks"][property.name="resolutionNote"]${OUTSIDE_CONTACT_FIELD}`, message: CONTACT_MESSAGE },
        { selector: `TemplateElement[value.raw=/\\b(contact_person|contact_phone|resolution_note)\\b|(?<!\\bas\\s+"?)\\bnotes\\b/]${OUTSIDE_CONTACT_FIELD}`, message: CONTACT_MESSAGE },
        // Whole rows of the tables that hold contact data carry it too.
        {
          selector: 'CallExpression[callee.property.name="from"][arguments.0.name=/^(customers|followUps|tasks)$/][callee.object.arguments.length=0]',
          message: CONTACT_MESSAGE,
        },
        { selector: 'CallExpression[callee.name="getTableColumns"][arguments.0.name=/^(customers|followUps|tasks)$/]', message: CONTACT_MESSAGE },
        { selector: "TemplateElement[value.raw=/select\\s+\\*\\s+from\\s+(customers|follow_ups|tasks)\\b|\\b(customers|follow_ups|tasks)\\.\\*/i]", message: CONTACT_MESSAGE },
      ],
    },
  },
  {
    // app/ is the top layer (routes, pages, layouts): what lies below it never imports from it.
    files: ["components/**", "lib/**", "workers/**", "scripts/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "../**/app/*"], message: "components/, lib/ and workers/ must not import from app/: move the code down." }] }],
    },
  },
]);
