-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'www-data1@shop.test','$2a$12$GY9s8FvjnwmOpJx3tOqM8xALg7GWblDN2CNn8A.5lo3p2VitkUbDl',NULL);
INSERT INTO `users` VALUES (2,'jenkins2@shop.test','$1$h.1jXsok$207Q1.RcG74nRNlwtNt/nY',NULL);
INSERT INTO `users` VALUES (3,'bob3@shop.test','$2a$12$mmD6E8hNkPulYuk8nWEy5iK8Xoy/Lt9guveQllAaLzTOUYT6pQEI5',NULL);
INSERT INTO `users` VALUES (4,'www-data4@shop.test','$1$bdhT2oHS$QRgalPMCJdnw/R50X.ZQ.D',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','28507eca1b8363bdd629ebea7b694e2dc252c622eb256f4a77d16a1b0130aeff');
