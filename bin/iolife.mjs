#!/usr/bin/env node
import { main } from "../build/host/cli.js";
process.exitCode = await main(process.argv.slice(2));
